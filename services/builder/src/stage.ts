import type { Bus } from '@gitops/bus';
import type { Application } from '@gitops/config';
import { type StageRunner, type StageRunnerOptions, createStageRunner } from '@gitops/queue';
import type { Logger, Metrics } from '@gitops/telemetry';
import type { Redis } from 'ioredis';
import { type BuildDeps, runBuild } from './build.js';
import { type DataDir, isSafeName } from './data-dir.js';
import { SERVICE, exhaustedEvent } from './events.js';
import { createBuildHandler } from './handlers.js';
import { buildMetrics } from './metrics.js';
import { ResultStore } from './results.js';
import { Redactor, secretsOf } from './steps/redact.js';
import { RedisSupersede, type RedisSupersedeOptions } from './supersede.js';

type RunnerTuning =
  | 'attempts'
  | 'backoffMs'
  | 'lockDurationMs'
  | 'stalledIntervalMs'
  | 'keepCompletedMs'
  | 'consumer';

export interface BuilderStageOptions extends Omit<BuildDeps, 'dataDir'> {
  bus: Bus;
  redisUrl: string;
  /** For the superseded-build keys; the stage runner opens its own connections. */
  redis: Redis;
  apps: Application[];
  dataDir: DataDir;
  buildTimeoutMs: number;
  logMaxBytes: number;
  concurrency: number;
  logger: Logger;
  metrics?: Metrics;
  supersede?: RedisSupersedeOptions;
  /** The queue and durable consumer prefix (default `builder`): tests isolate themselves with their own. */
  queue?: string;
  /** Tests shorten the runner's retry, lock and retention timings. */
  runner?: Partial<Pick<StageRunnerOptions, RunnerTuning>>;
}

/**
 * The build stage: `source.received` in, `build.started` and `build.succeeded`/`build.failed` out,
 * through the stage runner (one BullMQ job per event, results published with deterministic ids).
 */
export function createBuilderStage(options: BuilderStageOptions): StageRunner {
  const { dataDir, logger } = options;
  const redactor = new Redactor(secretsOf(options.env));
  const handler = createBuildHandler({
    apps: new Map(options.apps.map((app) => [app.name, app])),
    dataDir,
    results: new ResultStore(dataDir),
    supersede: new RedisSupersede(options.redis, {
      onError: (err) => logger.warn({ err }, 'cannot check for a newer push'),
      ...options.supersede,
    }),
    publish: (event) => options.bus.publish(event),
    build: (request) => runBuild(request, options),
    buildTimeoutMs: options.buildTimeoutMs,
    logMaxBytes: options.logMaxBytes,
    redactor,
    ...(options.metrics ? { onResult: buildMetrics(options.metrics.registry) } : {}),
  });
  return createStageRunner({
    service: options.queue ?? SERVICE,
    bus: options.bus,
    redisUrl: options.redisUrl,
    consumes: ['source.received'],
    handlers: { 'source.received': handler },
    onExhausted: ({ name, event }, err) => {
      if (name !== 'source.received') return [];
      const { app, pipelineId } = event.data;
      const logRef = isSafeName(pipelineId) ? dataDir.log(app, pipelineId).relative : undefined;
      return [exhaustedEvent(event.data, err, logRef, redactor)];
    },
    concurrency: options.concurrency,
    logger,
    ...(options.metrics ? { metrics: options.metrics } : {}),
    ...options.runner,
  });
}
