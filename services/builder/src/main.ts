import { type Bus, startServiceBus } from '@gitops/bus';
import { type Application, loadApplications, loadConfig } from '@gitops/config';
import { type Logger, type Metrics, createLogger, createMetrics, runService } from '@gitops/telemetry';
import { Redis } from 'ioredis';
import { type BuilderConfig, builderEnv, gitCredentials } from './config.js';
import { DataDir } from './data-dir.js';
import { SERVICE } from './events.js';
import { buildHttp } from './http.js';
import { createImageDriver } from './image/index.js';
import type { GitCredentials } from './source/git-access.js';
import { createBuilderStage } from './stage.js';

interface Wiring {
  config: BuilderConfig;
  credentials: GitCredentials;
  apps: Application[];
  dataDir: DataDir;
  bus: Bus;
  redis: Redis;
  logger: Logger;
  metrics: Metrics;
}

function stageOf({ config, credentials, apps, dataDir, bus, redis, logger, metrics }: Wiring) {
  const driverOptions = {
    dataDir: dataDir.root,
    env: process.env,
    contextMaxBytes: config.BUILD_CONTEXT_MAX_BYTES,
    logger,
  };
  return createBuilderStage({
    bus,
    redisUrl: config.REDIS_URL,
    redis,
    apps,
    dataDir,
    credentials,
    createDriver: (preference, dockerfile) => createImageDriver(preference, dockerfile, driverOptions),
    env: process.env,
    stepTimeoutMs: config.STEP_TIMEOUT,
    buildTimeoutMs: config.BUILD_TIMEOUT,
    logMaxBytes: config.BUILD_LOG_MAX_BYTES,
    concurrency: config.BUILDER_CONCURRENCY,
    logger,
    metrics,
  });
}

runService(SERVICE, async () => {
  const config = loadConfig(builderEnv);
  const credentials = gitCredentials(config);
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const apps = loadApplications(config.GITOPS_APPS);
  const dataDir = new DataDir(config.GITOPS_DATA_DIR);
  const metrics = createMetrics(SERVICE);
  const bus = await startServiceBus(SERVICE, config, { logger, metrics });
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1 });
  redis.on('error', (err) => logger.warn({ err }, 'Redis connection error'));
  const stage = stageOf({ config, credentials, apps, dataDir, bus, redis, logger, metrics });
  await stage.start();
  const appNames = apps.map((app) => app.name);
  const http = buildHttp({
    logger,
    registry: metrics.registry,
    checks: { nats: () => bus.ping(), redis: () => stage.ping() },
    findLog: (pipelineId) => dataDir.findLog(pipelineId, appNames),
  });
  await http.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, apps: appNames, dataDir: dataDir.root }, 'builder listening');
  return {
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT,
    stop: async () => {
      await http.close();
      // Leaves time to close the connections before runService's own deadline.
      await stage.stop(Math.max(config.SHUTDOWN_TIMEOUT - 5000, 1000));
      redis.disconnect();
      await bus.close();
    },
  };
});
