import { startServiceBus } from '@gitops/bus';
import { loadApplications, loadConfig } from '@gitops/config';
import { createLogger, createMetrics, runService } from '@gitops/telemetry';
import { AppDirectory, resolveTargets } from './app-directory.js';
import { receiverEnv } from './config.js';
import { buildHttp } from './http.js';
import { SERVICE } from './receive.js';

runService(SERVICE, async () => {
  const config = loadConfig(receiverEnv);
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  const { targets, problems } = resolveTargets(
    loadApplications(config.GITOPS_APPS),
    process.env,
    config.WEBHOOK_SECRET,
  );
  for (const problem of problems) logger.warn(problem, 'webhook secret problem');
  const metrics = createMetrics(SERVICE);
  const bus = await startServiceBus(SERVICE, config, { logger, metrics });
  const http = buildHttp({
    directory: new AppDirectory(targets),
    publish: (event) => bus.publish(event, { timeoutMs: config.PUBLISH_TIMEOUT }),
    logger,
    registry: metrics.registry,
    checks: { nats: () => bus.ping() },
    bodyLimit: config.WEBHOOK_BODY_LIMIT,
  });
  await http.listen({ port: config.PORT, host: config.HOST });
  logger.info({ port: config.PORT, apps: targets.map((t) => t.app.name) }, 'webhook receiver listening');
  return {
    logger,
    shutdownTimeoutMs: config.SHUTDOWN_TIMEOUT,
    stop: async () => {
      await http.close();
      await bus.close();
    },
  };
});
