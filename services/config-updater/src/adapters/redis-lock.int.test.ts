import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type RedisServer, startRedisServer } from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRepoLock } from './redis-lock.js';

describe('the Redis lock per config repository', () => {
  let server: RedisServer;
  let redis: Redis;
  beforeAll(async () => {
    server = await startRedisServer();
    redis = new Redis(server.url);
  });
  afterAll(async () => {
    redis?.disconnect();
    await server?.dispose();
  });

  it('lets one holder at a time in for a key, across instances, and keys in parallel', async () => {
    const [a, b] = [
      new RedisRepoLock(redis, { ttlMs: 5000, pollMs: 5 }),
      new RedisRepoLock(redis, { ttlMs: 5000, pollMs: 5 }),
    ];
    const key = randomUUID();
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      await sleep(10);
      inside--;
    };
    await Promise.all(Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).hold(key, work)));
    expect(most).toBe(1);
    // Another key is not held up by this one.
    let other = false;
    await a.hold(key, () =>
      b.hold(randomUUID(), async () => {
        other = true;
      }),
    );
    expect(other).toBe(true);
  });

  it('is released when the work throws, and renewed while the work runs past its TTL', async () => {
    const lock = new RedisRepoLock(redis, { ttlMs: 300, pollMs: 5 });
    const key = randomUUID();
    await expect(lock.hold(key, async () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(await redis.exists(`gitops:config-updater:lock:${key}`)).toBe(0);
    let overlapped = false;
    let running = false;
    const long = lock.hold(key, async () => {
      running = true;
      await sleep(900);
      running = false;
    });
    await sleep(50);
    await lock.hold(key, async () => {
      overlapped = running;
    });
    await long;
    expect(overlapped).toBe(false);
  });

  it('is taken over once a dead holder’s TTL passes', async () => {
    const key = randomUUID();
    await redis.set(`gitops:config-updater:lock:${key}`, 'a-dead-replica', 'PX', 200);
    const started = Date.now();
    await new RedisRepoLock(redis, { ttlMs: 1000, pollMs: 10 }).hold(key, async () => undefined);
    expect(Date.now() - started).toBeGreaterThanOrEqual(150);
  });
});
