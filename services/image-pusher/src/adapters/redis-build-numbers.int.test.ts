import { randomUUID } from 'node:crypto';
import { startRedisServer } from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { RedisBuildCounter } from './redis-build-numbers.js';

describe('build counters in Redis', async () => {
  const server = await startRedisServer();
  const redis = new Redis(server.url);
  const counter = new RedisBuildCounter(redis);
  const none = { floor: 0 };
  afterAll(async () => {
    redis.disconnect();
    await server.dispose();
  });
  const newApp = () => `app-${randomUUID().slice(0, 8)}`;

  it('counts per application and gives a pipeline the same number on every call', async () => {
    const app = newApp();
    expect(await counter.claim(app, 'p1', none)).toBe(1);
    expect(await counter.claim(app, 'p2', none)).toBe(2);
    expect(await counter.claim(app, 'p1', none)).toBe(1);
    expect(await counter.recall(app, 'p1')).toBe(1);
    expect(await counter.recall(app, 'p3')).toBeUndefined();
    expect(await counter.claim(`${app}-other`, 'p1', none)).toBe(1);
  });

  it('hands out distinct numbers to pipelines claiming at once', async () => {
    const app = newApp();
    const got = await Promise.all(
      Array.from({ length: 20 }, (_, i) => counter.claim(app, `p${i % 10}`, { floor: 40 })),
    );
    expect(new Set(got).size).toBe(10);
    expect(Math.min(...got)).toBe(41);
    expect(Math.max(...got)).toBe(50);
  });

  it('raises a counter that is behind the registry, and never lowers one ahead of it', async () => {
    const app = newApp();
    expect(await counter.claim(app, 'p1', { floor: 23 })).toBe(24);
    expect(await counter.claim(app, 'p2', { floor: 3 })).toBe(25);
  });

  it('remembers the number the registry recorded for a pipeline, and counts on above it', async () => {
    const app = newApp();
    expect(await counter.claim(app, 'p1', { floor: 2, recorded: 6 })).toBe(6);
    expect(await counter.claim(app, 'p1', { floor: 0 })).toBe(6);
    expect(await counter.claim(app, 'p2', { floor: 0 })).toBe(7);
  });
});
