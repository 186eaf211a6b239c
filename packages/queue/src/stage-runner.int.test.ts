import { subjectFor } from '@gitops/contracts';
import { AppError, describeError } from '@gitops/errors';
import {
  type RedisServer,
  buildFailed,
  buildStarted,
  sourceReceived,
  startRedisServer,
  uniqueApp,
} from '@gitops/testing';
import { UnrecoverableError } from 'bullmq';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobIdFor } from './job-id.js';
import { type Harness, startHarness } from './test/harness.js';

describe('a stage runner', () => {
  let redis: RedisServer;
  let h: Harness;
  let app: string;

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    // Short enough that a test can publish the same event twice and have both copies stored.
    h = await startHarness(redis.url, { duplicateWindowMs: 200 });
    app = uniqueApp();
  });
  afterEach(() => h?.dispose());
  afterAll(() => redis?.dispose());

  it('publishes exactly one result for a handler that fails twice and then succeeds', async () => {
    const attempts: number[] = [];
    const runner = h.runner({
      handlers: {
        'source.received': async (event, { attempt }) => {
          attempts.push(attempt);
          if (attempt < 3) throw new Error('git fetch reset');
          return [buildStarted(event)];
        },
      },
    });
    await runner.start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await h.waitForState(jobIdFor(source), 'completed');
    expect(attempts).toEqual([1, 2, 3]);
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
  });

  it('calls beforeEnqueue with each consumed event before its job runs, again when it threw', async () => {
    const calls: string[] = [];
    let failures = 1;
    const runner = h.runner({
      beforeEnqueue: async ({ name, event }) => {
        calls.push(`before ${name} ${event.id}`);
        if (failures-- > 0) throw new Error('Redis away');
      },
      handlers: {
        'source.received': async (event) => {
          calls.push(`run ${event.id}`);
          return [];
        },
      },
    });
    await runner.start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await h.waitForState(jobIdFor(source), 'completed');
    const before = `before source.received ${source.id}`;
    expect(calls).toEqual([before, before, `run ${source.id}`]);
  });

  it('answers ping once started and Redis answers', async () => {
    const runner = h.runner({ handlers: { 'source.received': async () => [] } });
    await expect(runner.ping()).rejects.toMatchObject({ code: 'GITOPS_QUEUE_UNAVAILABLE' });
    await runner.start();
    await expect(runner.ping()).resolves.toBeUndefined();
  });

  it('runs one job and publishes one result for an event delivered twice', async () => {
    const handler = vi.fn(async (event) => [buildStarted(event)]);
    await h.runner({ handlers: { 'source.received': handler } }).start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await h.waitForState(jobIdFor(source), 'completed');
    // Past the duplicate window JetStream stores the same event again, as after a replay.
    await vi.waitFor(async () => expect(await h.bus.publish(source)).toMatchObject({ duplicate: false }));
    await vi.waitFor(async () => expect(await h.acks()).toBe(2));
    expect(await h.look.count(subjectFor(app, 'source.received'))).toBe(2);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
    expect(await h.queue.getJobCounts('completed', 'waiting', 'active')).toEqual({
      completed: 1,
      waiting: 0,
      active: 0,
    });
  });

  it('publishes the onExhausted events once the attempts are used up', async () => {
    const handler = vi.fn(async () => {
      throw new Error('compiler crashed');
    });
    const runner = h.runner({
      attempts: 2,
      handlers: { 'source.received': handler },
      onExhausted: ({ event }, err) => [buildFailed(event, describeError(err))],
    });
    await runner.start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await h.waitForState(jobIdFor(source), 'failed');
    expect(handler).toHaveBeenCalledTimes(2);
    const failed = await h.look.last(subjectFor(app, 'build.failed'));
    expect(JSON.parse(Buffer.from(failed?.data ?? []).toString()).data.error).toEqual({
      message: 'compiler crashed',
    });
    expect(await h.look.count(subjectFor(app, 'build.failed'))).toBe(1);
  });

  it('gives up at once on an UnrecoverableError or a non-retryable AppError', async () => {
    const [unrecoverable, invalid] = [sourceReceived(app), sourceReceived(app)];
    const handler = vi.fn(async (event: typeof unrecoverable) => {
      if (event.id === unrecoverable.id) throw new UnrecoverableError('no such repository');
      throw new AppError('GITOPS_BUILD_INVALID', 'no Dockerfile');
    });
    const runner = h.runner({
      handlers: { 'source.received': handler },
      onExhausted: ({ event }, err) => [buildFailed(event, describeError(err))],
    });
    await runner.start();
    await h.bus.publish(unrecoverable);
    await h.bus.publish(invalid);
    await h.waitForState(jobIdFor(unrecoverable), 'failed');
    await h.waitForState(jobIdFor(invalid), 'failed');
    expect(handler).toHaveBeenCalledTimes(2);
    expect(await h.look.count(subjectFor(app, 'build.failed'))).toBe(2);
  });
});
