import { randomUUID } from 'node:crypto';
import { type Bus, type TopologyOptions, connectBus, streamTopology } from '@gitops/bus';
import { createMetrics } from '@gitops/telemetry';
import { type Inspector, type NatsServer, inspect, startNatsServer, testLogger } from '@gitops/testing';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { expect, vi } from 'vitest';
import type { StageJobData, StageRunnerOptions } from '../stage-options.js';
import { type StageRunner, createStageRunner } from '../stage-runner.js';
import { FAST } from './fast.js';

export interface Harness {
  nats: NatsServer;
  bus: Bus;
  look: Inspector;
  metrics: ReturnType<typeof createMetrics>;
  /** A fresh queue (and durable prefix) name: `test-<uuid>`. */
  service: string;
  /** The test's own view of the stage's queue. */
  queue: Queue<StageJobData>;
  runner(options: Pick<StageRunnerOptions, 'handlers'> & Partial<StageRunnerOptions>): StageRunner;
  waitForState(jobId: string, state: string): Promise<void>;
  /** Acks the runner's consumer gave, for events it has turned into jobs. */
  acks(): Promise<number>;
  dispose(): Promise<void>;
}

/** A NATS server of the test's own beside a shared Redis, and runners of one source.received stage. */
export async function startHarness(redisUrl: string, topology: TopologyOptions = {}): Promise<Harness> {
  const nats = await startNatsServer();
  const metrics = createMetrics();
  const bus = await connectBus({
    servers: [nats.url],
    name: 'test',
    logger: testLogger(),
    metrics,
    topology: streamTopology(topology),
  });
  await bus.provision();
  const look = await inspect(nats.url);
  const service = `test-${randomUUID()}`;
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: null });
  const queue = new Queue<StageJobData>(service, { connection: redis });
  const runners: StageRunner[] = [];
  return {
    nats,
    bus,
    look,
    metrics,
    service,
    queue,
    runner: (options) => {
      const runner = createStageRunner({
        ...FAST,
        service,
        bus,
        redisUrl,
        consumes: ['source.received'],
        consumer: { backoffMs: () => 50 },
        logger: testLogger(),
        ...options,
      });
      runners.push(runner);
      return runner;
    },
    waitForState: (jobId, state) =>
      vi.waitFor(async () => expect(await queue.getJobState(jobId)).toBe(state), { timeout: 10_000 }),
    acks: async () => {
      const consumed = await metrics.eventsConsumed.get();
      return consumed.values.find((value) => value.labels.outcome === 'ack')?.value ?? 0;
    },
    dispose: async () => {
      await Promise.all(runners.map((runner) => runner.stop(1000)));
      await queue.close();
      redis.disconnect();
      await look.close();
      await bus.close();
      await nats.dispose();
    },
  };
}
