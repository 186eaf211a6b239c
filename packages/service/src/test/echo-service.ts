import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serviceEnv, stageEnv } from '@gitops/config';
import { buildStarted, freePort } from '@gitops/testing';
import { defineService } from '../definition.js';

/** A stage service that answers every source.received with build.started, and serves GET /hello. */
export const echoService = defineService({
  service: 'echo',
  env: { ...serviceEnv(1), ...stageEnv },
  create: () => ({
    stage: {
      consumes: ['source.received'],
      handlers: { 'source.received': async (event) => [buildStarted(event)] },
    },
    routes: (app) => app.get('/hello', async () => ({ hello: 'world' })),
  }),
});

/** A service's environment on the test's NATS and Redis (an empty application file, a free port). */
export async function serviceEnvOn(servers: { nats: string; redis: string }) {
  const dir = await mkdtemp(join(tmpdir(), 'service-'));
  await writeFile(join(dir, 'gitops.yaml'), '');
  return async (): Promise<NodeJS.ProcessEnv> => ({
    NATS_URL: servers.nats,
    REDIS_URL: servers.redis,
    GITOPS_APPS: join(dir, 'gitops.yaml'),
    PORT: String(await freePort()),
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
  });
}
