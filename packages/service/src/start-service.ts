import { join } from 'node:path';
import { startServiceBus } from '@gitops/bus';
import { type ConfigOf, loadApplications, loadConfig, natsConnectOptions } from '@gitops/config';
import { type StageRunner, createStageRunner } from '@gitops/queue';
import { type Logger, createLogger, createMetrics, tracingEnabled } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';
import type {
  ServiceConfig,
  ServiceContext,
  ServiceDefinition,
  ServiceEnvSpec,
  ServiceParts,
  StageParts,
} from './definition.js';
import { createServiceHttp } from './http.js';
import type { ReadinessCheck } from './ops-routes.js';
import { RedisConnections } from './redis-connections.js';
import { stageTuning } from './stage-tuning.js';

export interface StartedService<C> {
  config: C;
  logger: Logger;
  http: FastifyInstance;
  /** Where it listens, e.g. http://127.0.0.1:8092. */
  url: string;
  /** Stops taking work, lets running jobs finish within SHUTDOWN_TIMEOUT, closes every connection. */
  stop(): Promise<void>;
}

// Closing connections after the stage stopped takes a moment; the stage gets the rest of the budget.
const CLOSE_MARGIN_MS = 5000;

/** Closers run newest first: what was opened last depends on what was opened before it. */
class Closers {
  readonly #closers: Array<() => Promise<void> | void> = [];
  add(close: () => Promise<void> | void): void {
    this.#closers.unshift(close);
  }
  async run(): Promise<void> {
    for (const close of this.#closers.splice(0)) await close();
  }
}

function readiness(context: ServiceContext<unknown>, redis: RedisConnections, parts: ServiceParts) {
  const checks: Record<string, ReadinessCheck> = { nats: () => context.bus.ping() };
  if (redis.used) checks.redis = () => redis.ping();
  return { ...checks, ...parts.checks };
}

/**
 * Starts a service in this process, in the one order every service shares: configuration, logger,
 * applications, NATS, Redis (on first use), the service's parts, its stage runner, its background
 * tasks, then HTTP. `main.ts` runs it through `runService`; integration tests start the same
 * definition here. A failure on the way closes what was opened and rethrows.
 */
export async function startService<S extends ServiceEnvSpec>(
  definition: ServiceDefinition<S>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<StartedService<ConfigOf<S>>> {
  const config = loadConfig(definition.env, env);
  // A service's spec extends the common one; TypeScript cannot see through ConfigOf's conditional type.
  const common = config as unknown as ServiceConfig;
  const nats = natsConnectOptions(common);
  const { service } = definition;
  const logger = createLogger({ service, level: common.LOG_LEVEL });
  const apps = loadApplications(common.GITOPS_APPS);
  const metrics = createMetrics();
  const closers = new Closers();
  try {
    const bus = await startServiceBus(service, { ...common, nats }, { logger, metrics });
    closers.add(() => bus.close());
    const redis = new RedisConnections({ url: common.REDIS_URL, caFile: common.REDIS_CA }, logger);
    closers.add(() => redis.close());
    const context = { config, logger, metrics, bus, apps, redis: () => redis.shared(), env };
    const parts = await definition.create(context);
    const stopBudget = Math.max(common.SHUTDOWN_TIMEOUT - CLOSE_MARGIN_MS, 1000);
    const runner = parts.stage
      ? createStage(service, { ...context, config: common }, redis, parts.stage)
      : undefined;
    if (runner) {
      closers.add(() => runner.stop(stopBudget));
      await runner.start();
    }
    if (redis.used) await redis.checkCredentials();
    for (const task of parts.tasks ?? []) {
      closers.add(() => task.stop());
      await task.start();
    }
    const http = createServiceHttp({
      logger,
      registry: metrics.registry,
      checks: readiness(context, redis, parts),
      tracing: tracingEnabled(env),
      ...(parts.bodyLimit ? { bodyLimit: parts.bodyLimit } : {}),
      ...(parts.routes ? { routes: parts.routes } : {}),
    });
    closers.add(() => http.close());
    await http.listen({ port: common.PORT, host: common.HOST });
    const { port } = http.server.address() as { port: number };
    logger.info({ port, apps: apps.map((app) => app.name), ...parts.summary }, `${service} listening`);
    return { config, logger, http, url: `http://127.0.0.1:${port}`, stop: () => closers.run() };
  } catch (err) {
    await closers.run();
    throw err;
  }
}

function createStage(
  service: string,
  context: ServiceContext<ServiceConfig>,
  redis: RedisConnections,
  stage: StageParts,
): StageRunner {
  return createStageRunner({
    ...stageTuning(context.config),
    service,
    bus: context.bus,
    connection: (role) => redis.forRole(role),
    consumes: stage.consumes,
    handlers: stage.handlers,
    ...(stage.onExhausted ? { onExhausted: stage.onExhausted } : {}),
    ...(stage.beforeEnqueue ? { beforeEnqueue: stage.beforeEnqueue } : {}),
    concurrency: stage.concurrency ?? 1,
    outboxDir: join(context.config.GITOPS_DATA_DIR, 'outbox', service),
    logger: context.logger,
    metrics: context.metrics,
  });
}
