import { defineService } from '@gitops/service';
import { AppDirectory, resolveTargets } from './app-directory.js';
import { receiverEnv } from './config.js';
import { SERVICE } from './events.js';
import { webhookRoutes } from './routes.js';

/**
 * Stage 1: signed webhooks in, `source.received` out. It holds no queue: a webhook is answered once
 * its event is stored in JetStream, so Redis being away never refuses a push.
 */
export const webhookReceiver = defineService({
  service: SERVICE,
  env: receiverEnv,
  create: ({ config, apps, env, bus, logger, metrics }) => {
    const { targets, problems } = resolveTargets(apps, env, config.WEBHOOK_SECRET);
    for (const problem of problems) logger.warn(problem, 'webhook secret problem');
    const routes = webhookRoutes({
      directory: new AppDirectory(targets),
      publish: (event) => bus.publish(event, { timeoutMs: config.PUBLISH_TIMEOUT, once: true }),
      logger,
      registry: metrics.registry,
    });
    return { routes, bodyLimit: config.WEBHOOK_BODY_LIMIT };
  },
});
