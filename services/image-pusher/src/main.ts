import { startServiceBus } from '@gitops/bus';
import { loadApplications, loadConfig } from '@gitops/config';
import { createStageRunner } from '@gitops/queue';
import { type Logger, createLogger, createMetrics, createServiceHttp, runService } from '@gitops/telemetry';
import { Redis } from 'ioredis';
import { ociRegistry } from './adapters/oci-registry.js';
import { RedisBuildNumbers } from './adapters/redis-build-numbers.js';
import { loadSigner } from './adapters/signing-key.js';
import { type PusherConfig, pusherEnv } from './config.js';
import { SERVICE } from './events.js';
import { type PusherDeps, pusherExhausted, pusherHandlers } from './handlers.js';

/** The stage's dependencies from its configuration: the registry client, build numbers, the signer. */
function pusherDeps(config: PusherConfig, redis: Redis, logger: Logger): PusherDeps {
  const signer = config.PROVENANCE_SIGNING_KEY_FILE
    ? loadSigner(config.PROVENANCE_SIGNING_KEY_FILE)
    : undefined;
  return {
    apps: new Map(loadApplications(config.GITOPS_APPS).map((app) => [app.name, app])),
    dataDir: config.GITOPS_DATA_DIR,
    registry: ociRegistry({
      env: config,
      logger,
      upload: { chunkThreshold: config.REGISTRY_CHUNK_THRESHOLD, chunkSize: config.REGISTRY_CHUNK_SIZE },
      concurrency: config.PUSH_CONCURRENCY,
    }),
    buildNumbers: new RedisBuildNumbers(redis),
    builderId: config.PROVENANCE_BUILDER_ID,
    ...(signer ? { signer } : {}),
  };
}

runService(SERVICE, async () => {
  const config = loadConfig(pusherEnv);
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  // Without a listener ioredis prints every reconnect failure as an unhandled error event.
  redis.on('error', (err) => logger.warn({ err }, 'Redis connection error'));
  const deps = pusherDeps(config, redis, logger);
  const metrics = createMetrics(SERVICE);
  const bus = await startServiceBus(SERVICE, config, { logger, metrics });
  const runner = createStageRunner({
    service: SERVICE,
    bus,
    redisUrl: config.REDIS_URL,
    consumes: ['build.succeeded'],
    handlers: pusherHandlers(deps),
    onExhausted: pusherExhausted(deps),
    logger,
    metrics,
  });
  await runner.start();
  const checks = { nats: () => bus.ping(), redis: () => runner.ping() };
  const http = createServiceHttp({ logger, registry: metrics.registry, checks });
  await http.listen({ port: config.PORT, host: config.HOST });
  logger.info(
    { port: config.PORT, apps: [...deps.apps.keys()], signed: Boolean(deps.signer) },
    'image pusher listening',
  );
  return {
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT,
    stop: async () => {
      await http.close();
      // Leaves time to close the bus and Redis within the shutdown timeout.
      await runner.stop(Math.max(0, config.SHUTDOWN_TIMEOUT - 2000));
      await bus.close();
      redis.disconnect();
    },
  };
});
