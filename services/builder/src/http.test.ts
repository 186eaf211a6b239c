import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createLogger, createMetrics } from '@gitops/telemetry';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';
import { buildHttp } from './http.js';

describe('the builder HTTP API', () => {
  let dataDir: DataDir;

  beforeAll(async () => {
    dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-http-')));
    const log = dataDir.log('hello', 'hello-0123456789abcdef').path;
    await mkdir(dirname(log), { recursive: true });
    await writeFile(log, '==> step test: npm test\nok\n');
  });

  const http = (checks = {}) =>
    buildHttp({
      logger: createLogger({ service: 'builder-test', level: 'silent' }),
      registry: createMetrics('builder-test').registry,
      checks,
      findLog: (pipelineId) => dataDir.findLog(pipelineId, ['other', 'hello']),
    });

  it("serves a pipeline's build log as text", async () => {
    const res = await http().inject({ url: '/api/v1/builds/hello-0123456789abcdef/log' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe('==> step test: npm test\nok\n');
  });

  it('answers 404 for a pipeline without a log, and for a pipeline id that is a path', async () => {
    for (const id of ['hello-ffffffffffffffff', '..%2F..%2Fetc', '.']) {
      const res = await http().inject({ url: `/api/v1/builds/${id}/log` });
      expect(res.statusCode, id).toBe(404);
    }
    const res = await http().inject({ url: '/api/v1/builds/nope/log' });
    expect(res.json()).toEqual({
      code: 'GITOPS_BUILD_LOG_NOT_FOUND',
      message: 'no build log for pipeline nope',
    });
  });

  it('answers /readyz 503 while a dependency is down, and serves /healthz and /metrics', async () => {
    const app = http({
      nats: async () => undefined,
      redis: async () => Promise.reject(new Error('refused')),
    });
    const ready = await app.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ nats: 'ok', redis: 'unavailable: refused' });
    expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    expect((await app.inject({ url: '/metrics' })).body).toContain('process_cpu_user_seconds_total');
  });
});
