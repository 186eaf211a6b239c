import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Bus, connectBus, streamTopology } from '@gitops/bus';
import type { Application } from '@gitops/config';
import type { StageRunner } from '@gitops/queue';
import { createLogger } from '@gitops/telemetry';
import { type NatsServer, type StoredMessage, readStream, startNatsServer } from '@gitops/testing';
import { Redis } from 'ioredis';
import { DataDir } from '../data-dir.js';
import type { DriverFactory } from '../image-build.js';
import { createImageDriver } from '../image/index.js';
import { createBuilderStage } from '../stage.js';

export interface StageHarness {
  nats: NatsServer;
  bus: Bus;
  dataDir: DataDir;
  /** How many images the stage's drivers built. */
  imagesBuilt(): number;
  /** A replica of the builder: every one started by a test shares its queue and durable consumer. */
  replica(apps: Application[]): Promise<StageRunner>;
  /** The build.* events of `app` stored in the stream, waiting for at least `atLeast`. */
  buildEvents(app: string, atLeast: number): Promise<StoredMessage[]>;
  dispose(): Promise<void>;
}

const logger = () => createLogger({ service: 'builder-test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

/** Counts the images built, for tests that must show a build did not run again. */
function countingDrivers(dataDir: DataDir): { createDriver: DriverFactory; built(): number } {
  let built = 0;
  const createDriver: DriverFactory = (preference, dockerfile) => {
    const driver = createImageDriver(preference, dockerfile, { dataDir: dataDir.root, env: process.env });
    return {
      name: driver.name,
      build: (request) => {
        built++;
        return driver.build(request);
      },
    };
  };
  return { createDriver, built: () => built };
}

const stageOptions = (bus: Bus, redisUrl: string, redis: Redis, dataDir: DataDir, queue: string) => ({
  bus,
  redisUrl,
  redis,
  dataDir,
  credentials: {},
  env: process.env,
  stepTimeoutMs: 60_000,
  buildTimeoutMs: 120_000,
  logMaxBytes: 1024 * 1024,
  concurrency: 1,
  logger: logger(),
  queue,
  supersede: { pollMs: 100 },
  killGraceMs: 200,
  runner: { attempts: 2, backoffMs: 10, lockDurationMs: 5000, stalledIntervalMs: 1000, keepCompletedMs: 0 },
});

/** A NATS server and data directory of the test's own, beside a shared Redis, and builder replicas on them. */
export async function startStageHarness(redisUrl: string): Promise<StageHarness> {
  const nats = await startNatsServer();
  // A short duplicate window, so a test can replay an event as JetStream would store it after 72 hours.
  const topology = streamTopology({ duplicateWindowMs: 200 });
  const bus = await connectBus({ servers: [nats.url], name: 'builder-test', logger: logger(), topology });
  await bus.provision();
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1 });
  const dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-stage-')));
  const options = stageOptions(bus, redisUrl, redis, dataDir, `test-${randomUUID()}`);
  const drivers = countingDrivers(dataDir);
  const replicas: StageRunner[] = [];
  return {
    nats,
    bus,
    dataDir,
    imagesBuilt: drivers.built,
    replica: async (apps) => {
      const stage = createBuilderStage({ ...options, apps, createDriver: drivers.createDriver });
      replicas.push(stage);
      await stage.start();
      return stage;
    },
    buildEvents: (app, atLeast) =>
      readStream(nats.url, `gitops.v1.${app}.build.>`, { atLeast, timeoutMs: 30_000 }),
    dispose: async () => {
      await Promise.all(replicas.map((stage) => stage.stop(1000)));
      redis.disconnect();
      await bus.close();
      await nats.dispose();
    },
  };
}
