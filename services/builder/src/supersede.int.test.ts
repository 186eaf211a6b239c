import { randomUUID } from 'node:crypto';
import { type RedisServer, startRedisServer } from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Claim, RedisSupersede } from './supersede.js';

describe('superseded builds coordinated through Redis', () => {
  let server: RedisServer;
  let replicaA: Redis;
  let replicaB: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    replicaA = new Redis(server.url);
    replicaB = new Redis(server.url);
  });
  afterAll(async () => {
    replicaA?.disconnect();
    replicaB?.disconnect();
    await server?.dispose();
  });

  const claim = (app: string, pipelineId: string, receivedAt: number, branch = 'main'): Claim => ({
    app,
    branch,
    pipelineId,
    receivedAt,
  });

  it('cancels a running build on one replica once a newer push claims the branch on another', async () => {
    const app = `app-${randomUUID()}`;
    const older = await new RedisSupersede(replicaA, { pollMs: 50 }).claim(claim(app, 'p1', 1000));
    expect(older.signal.aborted).toBe(false);
    const newer = await new RedisSupersede(replicaB, { pollMs: 50 }).claim(claim(app, 'p2', 2000));
    await vi.waitFor(() => expect(older.signal.aborted).toBe(true));
    expect(older.signal.reason).toMatchObject({
      reason: 'superseded',
      message: 'superseded by pipeline p2, a newer push to main',
    });
    expect(newer.signal.aborted).toBe(false);
    older.release();
    newer.release();
  });

  it('supersedes at once an older push whose event arrives after the newer one', async () => {
    const app = `app-${randomUUID()}`;
    const coordinator = new RedisSupersede(replicaA, { pollMs: 50 });
    const newer = await coordinator.claim(claim(app, 'p2', 2000));
    const late = await coordinator.claim(claim(app, 'p1', 1000));
    expect(late.signal.aborted).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(newer.signal.aborted).toBe(false);
    newer.release();
    late.release();
  });

  it('supersedes at its start a build whose newer push was only noted on arrival, not built yet', async () => {
    const app = `app-${randomUUID()}`;
    await new RedisSupersede(replicaB).note(claim(app, 'p2', 2000));
    await new RedisSupersede(replicaB).note(claim(app, 'p1', 1000)); // arrived late: changes nothing
    const coordinator = new RedisSupersede(replicaA, { pollMs: 50 });
    const older = await coordinator.claim(claim(app, 'p1', 1000));
    expect(older.signal.reason).toMatchObject({
      reason: 'superseded',
      message: 'superseded by pipeline p2, a newer push to main',
    });
    const newer = await coordinator.claim(claim(app, 'p2', 2000));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect(newer.signal.aborted).toBe(false);
    older.release();
    newer.release();
  });

  it('keeps the first noted of two pushes received in the same millisecond, on every replica', async () => {
    const app = `app-${randomUUID()}`;
    await new RedisSupersede(replicaA).note(claim(app, 'p-b', 1000));
    await new RedisSupersede(replicaB).note(claim(app, 'p-a', 1000));
    const first = await new RedisSupersede(replicaB, { pollMs: 50 }).claim(claim(app, 'p-b', 1000));
    const second = await new RedisSupersede(replicaA, { pollMs: 50 }).claim(claim(app, 'p-a', 1000));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([first.signal.aborted, second.signal.aborted]).toEqual([false, true]);
    first.release();
    second.release();
  });

  it('keeps builds of other branches and a retried claim of the same pipeline running', async () => {
    const app = `app-${randomUUID()}`;
    const coordinator = new RedisSupersede(replicaA, { pollMs: 50 });
    const main = await coordinator.claim(claim(app, 'p1', 1000));
    const feature = await coordinator.claim(claim(app, 'p2', 2000, 'feature/x'));
    const retried = await coordinator.claim(claim(app, 'p1', 1000));
    await new Promise((resolve) => setTimeout(resolve, 150));
    expect([main.signal.aborted, feature.signal.aborted, retried.signal.aborted]).toEqual([
      false,
      false,
      false,
    ]);
    for (const lease of [main, feature, retried]) lease.release();
  });
});
