import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type GitopsEvent, subjectFor } from '@gitops/contracts';
import { type RedisServer, buildStarted, sourceReceived, startRedisServer, uniqueApp } from '@gitops/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { jobIdFor } from './job-id.js';
import type { JobContext } from './stage-options.js';
import { type Harness, startHarness } from './test/harness.js';

const root = resolve(import.meta.dirname, '../../..');

/** A handler that reports its context when it starts, then answers build.started after `ms`. */
function slowHandler(ms: number) {
  let started: (ctx: JobContext) => void = () => undefined;
  const running = new Promise<JobContext>((resolve) => {
    started = resolve;
  });
  const handler = async (event: GitopsEvent<'source.received'>, ctx: JobContext) => {
    started(ctx);
    await sleep(ms, undefined, { signal: ctx.signal });
    return [buildStarted(event)];
  };
  return { handler, running };
}

const quickHandler = async (event: GitopsEvent<'source.received'>) => [buildStarted(event)];

describe('stopping a stage runner', () => {
  let redis: RedisServer;
  let h: Harness;
  let app: string;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
  });
  beforeEach(async () => {
    h = await startHarness(redis.url);
    app = uniqueApp();
  });
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    await h?.dispose();
  });
  afterAll(() => redis?.dispose());

  it('lets a running job finish before stop() resolves', async () => {
    const slow = slowHandler(400);
    const runner = h.runner({ handlers: { 'source.received': slow.handler } });
    await runner.start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await slow.running;
    await runner.stop(5000);
    expect(await h.queue.getJobState(jobIdFor(source))).toBe('completed');
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
  });

  it('stops waiting after its timeout, aborts the job and leaves it for another worker', async () => {
    const slow = slowHandler(60_000);
    const first = h.runner({ handlers: { 'source.received': slow.handler } });
    await first.start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    const { signal } = await slow.running;
    const stopping = Date.now();
    await first.stop(200);
    expect(Date.now() - stopping).toBeLessThan(2000);
    expect(signal.aborted).toBe(true);
    expect(await h.queue.getJobState(jobIdFor(source))).toBe('active');
    await h.runner({ handlers: { 'source.received': quickHandler } }).start();
    await h.waitForState(jobIdFor(source), 'completed');
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
  });

  it('hands the job of a killed worker process to another runner', async () => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve(import.meta.dirname, 'test/stage-process.ts')],
      {
        cwd: root,
        env: {
          ...process.env,
          TSX_TSCONFIG_PATH: resolve(root, 'tsconfig.check.json'),
          NATS_URL: h.nats.url,
          REDIS_URL: redis.url,
          SERVICE: h.service,
        },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    children.push(child);
    let output = '';
    child.stdout?.on('data', (chunk) => {
      output += chunk;
    });
    await vi.waitFor(() => expect(output).toContain('ready\n'), { timeout: 20_000 });
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await vi.waitFor(() => expect(output).toContain(`started ${jobIdFor(source)}\n`), { timeout: 10_000 });
    child.kill('SIGKILL');
    await once(child, 'exit');
    const attempts: number[] = [];
    const handler = async (event: GitopsEvent<'source.received'>, { attempt }: JobContext) => {
      attempts.push(attempt);
      return quickHandler(event);
    };
    await h.runner({ handlers: { 'source.received': handler } }).start();
    await h.waitForState(jobIdFor(source), 'completed');
    // A stalled job is not a failed attempt: it runs again as attempt 1.
    expect(attempts).toEqual([1]);
    expect(await h.look.count(subjectFor(app, 'build.started'))).toBe(1);
  });
});
