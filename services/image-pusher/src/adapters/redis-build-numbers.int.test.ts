import { randomUUID } from 'node:crypto';
import { startRedisServer } from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBuildNumbers } from './redis-build-numbers.js';

describe('build numbers in Redis', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const numbers = new RedisBuildNumbers(redis);
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });

  it('counts per application and gives a pipeline the same number on every call', async () => {
    const app = `app-${randomUUID().slice(0, 8)}`;
    expect(await numbers.allocate(app, 'p1')).toBe(1);
    expect(await numbers.allocate(app, 'p2')).toBe(2);
    expect(await numbers.allocate(app, 'p1')).toBe(1);
    expect(await numbers.allocate(`${app}-other`, 'p1')).toBe(1);
  });

  it('hands out distinct numbers to pipelines allocating at once', async () => {
    const app = `app-${randomUUID().slice(0, 8)}`;
    const got = await Promise.all(Array.from({ length: 20 }, (_, i) => numbers.allocate(app, `p${i % 10}`)));
    expect(new Set(got).size).toBe(10);
    expect(Math.max(...got)).toBe(10);
  });
});
