import { randomUUID } from 'node:crypto';
import { createMetrics } from '@gitops/telemetry';
import { type RedisServer, sourceReceived, startRedisServer, uniqueApp } from '@gitops/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { trackQueueJobs } from './queue-metrics.js';
import { type Harness, startHarness } from './test/harness.js';

const jobsIn = (text: string, queue: string, state: string) => {
  const line = new RegExp(`^gitops_queue_jobs\\{queue="${queue}",state="${state}"\\} (\\d+)$`, 'm');
  return Number(line.exec(text)?.[1] ?? Number.NaN);
};

describe('the queue jobs gauge', () => {
  let redis: RedisServer;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await startHarness(redis.url);
  });
  afterAll(async () => {
    await h?.dispose();
    await redis?.dispose();
  });

  it('reports the jobs of a stage runner queue per state at scrape time', async () => {
    const jobs = async (state: string) => jobsIn(await h.metrics.registry.metrics(), h.service, state);
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const handler = async () => {
      await held;
      return [];
    };
    await h.runner({ metrics: h.metrics, handlers: { 'source.received': handler } }).start();
    const app = uniqueApp();
    for (let i = 0; i < 3; i++) await h.bus.publish(sourceReceived(app));
    await vi.waitFor(async () => {
      expect([await jobs('active'), await jobs('waiting')]).toEqual([1, 2]);
      expect([await jobs('delayed'), await jobs('failed')]).toEqual([0, 0]);
    });
    release();
    await vi.waitFor(async () => expect([await jobs('active'), await jobs('waiting')]).toEqual([0, 0]));
  });

  it('leaves a queue out of the scrape while its Redis is down, and for good once it is closed', async () => {
    const ownRedis = await startRedisServer();
    const connection = new Redis(ownRedis.url, { maxRetriesPerRequest: 1 });
    const queue = new Queue(`test-${randomUUID()}`, { connection });
    // The outage is the point here; the connection errors it brings are expected.
    queue.on('error', () => {});
    const metrics = createMetrics();
    trackQueueJobs(queue, metrics.registry);
    try {
      await queue.add('job', {});
      expect(jobsIn(await metrics.registry.metrics(), queue.name, 'waiting')).toBe(1);
      await ownRedis.stop();
      const started = Date.now();
      const outage = await metrics.registry.metrics();
      expect(Date.now() - started).toBeLessThan(3000);
      expect(outage).toContain('process_cpu_seconds_total');
      expect(outage).not.toContain(queue.name);
      await ownRedis.restart();
      await vi.waitFor(async () =>
        expect(jobsIn(await metrics.registry.metrics(), queue.name, 'waiting')).toBe(0),
      );
      await queue.close();
      expect(await metrics.registry.metrics()).not.toContain(queue.name);
    } finally {
      connection.disconnect();
      await ownRedis.dispose();
    }
  });
});
