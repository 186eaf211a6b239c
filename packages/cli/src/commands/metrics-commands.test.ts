import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitops } from '../test/run.js';

/** What the metrics service answers (the shapes of services/metrics' API), served on loopback. */
const ANSWERS: Record<string, { status: number; body: unknown }> = {
  '/api/v1/pipelines': {
    status: 200,
    body: {
      pipelines: [
        {
          id: 'hello-1',
          app: 'hello',
          branch: 'main',
          commit: 'abcdef0123',
          startedAt: '2026-01-02T00:00:00.000Z',
          status: 'succeeded',
          stage: 'deploy:prod',
        },
      ],
      nextCursor: null,
    },
  },
  '/api/v1/pipelines/hello-1': {
    status: 200,
    body: {
      id: 'hello-1',
      app: 'hello',
      branch: 'main',
      commit: 'abcdef0123',
      startedAt: '2026-01-02T00:00:00.000Z',
      status: 'succeeded',
      stage: 'deploy:prod',
      stages: [
        {
          stage: 'build',
          environment: null,
          startedAt: '2026-01-02T00:00:00.000Z',
          endedAt: '2026-01-02T00:04:00.000Z',
          durationMs: 240_000,
          outcome: 'succeeded',
          detail: {},
        },
        {
          stage: 'promotion',
          environment: 'prod',
          startedAt: '2026-01-02T00:04:00.000Z',
          endedAt: '2026-01-02T00:10:00.000Z',
          durationMs: 360_000,
          outcome: 'approved',
          detail: { by: 'bob' },
        },
      ],
    },
  },
  '/api/v1/pipelines/nope': {
    status: 404,
    body: { code: 'GITOPS_METRICS_NOT_FOUND', message: 'no pipeline nope' },
  },
  '/api/v1/metrics/dora': {
    status: 200,
    body: {
      environments: [
        {
          environment: 'prod',
          deployments: 4,
          deploymentFrequency: { perDay: 0.4, level: 'high' },
          leadTimeMs: { median: 10_800_000, p90: 30_960_000, level: 'elite' },
          changeFailureRate: { rate: 0.4, level: 'low' },
          recoveryTimeMs: { median: 8_100_000, level: 'high' },
          reworkRate: 0.5,
        },
      ],
    },
  },
  '/api/v1/audit/verify': {
    status: 200,
    body: { ok: false, checked: 9, firstBroken: { seq: 7, problem: 'it was modified' } },
  },
};

describe('the metrics commands', () => {
  let server: Server;
  let env: NodeJS.ProcessEnv;
  const seen: Array<{ url: string; auth: string | undefined }> = [];
  beforeAll(async () => {
    server = createServer((request, response) => {
      seen.push({ url: request.url!, auth: request.headers.authorization });
      const answer = ANSWERS[new URL(request.url!, 'http://x').pathname] ?? {
        status: 404,
        body: { message: 'no route' },
      };
      response
        .writeHead(answer.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(answer.body));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    env = {
      GITOPS_METRICS_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      GITOPS_API_TOKEN: 'secret-token',
    };
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('lists pipelines of one app', async () => {
    const run = await gitops(['pipelines', '--app', 'hello'], { env });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^PIPELINE\s+APP\s+BRANCH/);
    expect(run.stdout).toMatch(
      /hello-1\s+hello\s+main\s+abcdef0\s+2026-01-02 00:00:00\s+succeeded\s+deploy:prod/,
    );
    expect(seen.at(-1)).toEqual({ url: '/api/v1/pipelines?limit=20&app=hello', auth: 'Bearer secret-token' });
  });

  it("draws a pipeline's timeline", async () => {
    const run = await gitops(['pipeline', 'hello-1'], { env });
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[1]).toMatch(/^build\s+\|█{12} {18}\|\s+4m00s\s+succeeded$/);
    expect(lines[2]).toMatch(/^promotion prod\s+\| {12}█{18}\|\s+6m00s\s+approved by bob$/);
  });

  it('says what the service answered when a pipeline is unknown', async () => {
    expect(await gitops(['pipeline', 'nope'], { env })).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops pipeline: the metrics service answered 404: no pipeline nope\n',
    });
  });

  it('prints DORA metrics with their levels', async () => {
    const run = await gitops(['dora', 'hello'], { env });
    expect(run.stdout).toMatch(
      /prod\s+4\s+0\.40\/day high\s+3h00m\/8h36m elite\s+40\.0% low\s+2h15m high\s+50\.0%/,
    );
  });

  it('exits 1 naming the first broken ledger record', async () => {
    expect(await gitops(['audit', 'verify'], { env })).toEqual({
      code: 1,
      stdout: 'ledger broken at record 7: it was modified\n',
      stderr: '',
    });
  });

  it('names the metrics service that does not answer', async () => {
    const run = await gitops(['pipelines'], { env: { GITOPS_METRICS_URL: 'http://127.0.0.1:1' } });
    expect(run).toMatchObject({
      code: 1,
      stderr: expect.stringContaining('cannot reach the metrics service at http://127.0.0.1:1: '),
    });
  });
});
