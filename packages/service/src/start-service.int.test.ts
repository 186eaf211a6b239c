import {} from 'node:os';
import {} from 'node:path';
import { connectBus } from '@gitops/bus';
import { serviceEnv } from '@gitops/config';
import {
  type NatsServer,
  type RedisServer,
  readStream,
  sourceReceived,
  startNatsServer,
  startRedisServer,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defineService } from './definition.js';
import { startService } from './start-service.js';
import { echoService, serviceEnvOn } from './test/echo-service.js';

const httpOnly = defineService({ service: 'http-only', env: serviceEnv(1), create: () => ({}) });

describe('startService, against real NATS and Redis', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let env: () => Promise<NodeJS.ProcessEnv>;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([startNatsServer(), startRedisServer()]);
    env = await serviceEnvOn({ nats: nats.url, redis: redis.url });
  });
  afterAll(async () => {
    await Promise.all([nats?.dispose(), redis?.dispose()]);
  });

  it('runs the stage: a consumed event’s handler answers are published', async () => {
    const echo = await startService(echoService, await env());
    try {
      const source = sourceReceived(uniqueApp());
      const response = await fetch(`${echo.url}/hello`);
      expect(await response.json()).toEqual({ hello: 'world' });
      const bus = await connectBus({ servers: [nats.url], name: 'test', logger: testLogger() });
      await bus.publish(source);
      const [started] = await readStream(nats.url, `gitops.v1.${source.data.app}.build.started`, {
        atLeast: 1,
        timeoutMs: 10_000,
      });
      expect(started?.json.subject).toBe(source.data.pipelineId);
      await bus.close();
    } finally {
      await echo.stop();
    }
  });

  it('is ready once NATS and Redis answer, and says which one does not', async () => {
    const echo = await startService(echoService, await env());
    try {
      const ready = await fetch(`${echo.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { nats: 'ok', redis: 'ok' } });
      await redis.stop();
      const notReady = await fetch(`${echo.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(((await notReady.json()) as { checks: unknown }).checks).toMatchObject({
        nats: 'ok',
        redis: expect.stringMatching(/^unavailable/),
      });
    } finally {
      await redis.restart();
      await echo.stop();
    }
  });

  it('opens no Redis connection for a service without a stage, and needs none to be ready', async () => {
    const service = await startService(httpOnly, { ...(await env()), REDIS_URL: 'redis://127.0.0.1:1' });
    try {
      const ready = await fetch(`${service.url}/readyz`);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { nats: 'ok' } });
    } finally {
      await service.stop();
    }
  });

  it('refuses to start with one line naming every bad variable, having opened nothing', async () => {
    await expect(
      startService(echoService, { ...(await env()), PORT: 'eighty', JOB_ATTEMPTS: '0' }),
    ).rejects.toThrow(/PORT must be an integer.*; JOB_ATTEMPTS must be an integer/);
  });

  it('closes the connections it opened when the service’s own parts fail to build', async () => {
    const broken = defineService({
      service: 'broken',
      env: serviceEnv(1),
      create: ({ redis }) => {
        redis();
        throw new Error('no signing key');
      },
    });
    const observer = new Redis(redis.url);
    const clients = async () => ((await observer.client('LIST')) as string).trim().split('\n').length;
    try {
      const before = await clients();
      await expect(startService(broken, await env())).rejects.toThrow('no signing key');
      await expect.poll(clients).toBe(before);
    } finally {
      observer.disconnect();
    }
  });
});
