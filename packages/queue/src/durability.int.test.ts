import { mkdtemp, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { subjectFor } from '@gitops/contracts';
import { type RedisServer, buildStarted, sourceReceived, startRedisServer, uniqueApp } from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobIdFor } from './job-id.js';
import { type Harness, startHarness } from './test/harness.js';

/** A handler that holds each job until the test releases it. */
function heldHandler() {
  const calls: string[] = [];
  let release = () => {};
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const handler = async (event: ReturnType<typeof sourceReceived>) => {
    calls.push(event.id);
    if (calls.length === 1) await released;
    return [buildStarted(event)];
  };
  return { calls, release, handler };
}

describe('a stage runner under faults', () => {
  let redis: RedisServer;
  let h: Harness;
  let app: string;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    h = await startHarness(redis.url);
    app = uniqueApp();
  });
  afterEach(() => h?.dispose());
  afterAll(() => redis?.dispose());

  it('keeps results in the outbox while NATS is away and publishes them once when it is back', async () => {
    const outboxDir = await mkdtemp(join(tmpdir(), 'outbox-'));
    const held = heldHandler();
    await h.runner({ handlers: { 'source.received': held.handler }, outboxDir }).start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await vi.waitFor(() => expect(held.calls).toHaveLength(1));
    await h.nats.stop();
    held.release();
    // The job succeeds: its result is kept, not turned into a failure.
    await h.waitForState(jobIdFor(source), 'completed');
    expect(await readdir(outboxDir)).toHaveLength(1);
    await h.nats.restart();
    await vi.waitFor(async () => expect(await readdir(outboxDir)).toEqual([]), { timeout: 15_000 });
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
    await vi.waitFor(async () => expect(await h.acks()).toBe(1), { timeout: 15_000 });
  });

  it('queues a job again from its held message when Redis lost it, and runs it once', async () => {
    const held = heldHandler();
    await h.runner({ handlers: { 'source.received': held.handler } }).start();
    const [first, second] = [sourceReceived(app), sourceReceived(app)];
    await h.bus.publish(first);
    await vi.waitFor(() => expect(held.calls).toHaveLength(1));
    await h.bus.publish(second);
    await h.waitForState(jobIdFor(second), 'waiting');
    const admin = new Redis(redis.url);
    await admin.flushall();
    admin.disconnect();
    held.release();
    await vi.waitFor(async () => expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(2), {
      timeout: 15_000,
    });
    expect(held.calls.filter((id) => id === second.id)).toHaveLength(1);
    await vi.waitFor(async () => expect(await h.acks()).toBe(2), { timeout: 15_000 });
  });
});
