import { hostname } from 'node:os';
import { join } from 'node:path';
import { gitCredentials } from '@gitops/config';
import { gitAccess } from '@gitops/git';
import { apiGuard, defineService, guardedRoutes, readApiTokens } from '@gitops/service';
import { GitConfigRepo } from './adapters/git-config-repo.js';
import { KubeCluster } from './adapters/kube-cluster.js';
import { loadKubeConfig } from './adapters/kube-config.js';
import { RedisState } from './adapters/redis-state.js';
import { reconcilerEnv } from './config.js';
import { Controller } from './controller.js';
import { SERVICE } from './events.js';
import { reconcilerExhausted, reconcilerHandlers } from './handlers.js';
import { kustomizeCommand } from './manifests/render.js';
import { reconcilerMetrics } from './metrics.js';
import { resyncTask } from './resync.js';
import { actionRoutes, statusRoutes } from './routes.js';
import { RenderCache } from './sync/render-cache.js';

/** Stage 5: `config.updated`/`config.pushed` in, the cluster made to match Git, `deploy.*`, `drift.*`, `rollback.*` out. */
export const reconciler = defineService({
  service: SERVICE,
  env: reconcilerEnv,
  create: async ({ config, apps, redis, bus, logger, metrics }) => {
    const kube = loadKubeConfig(config.KUBECONFIG);
    const cluster = kube.config ? new KubeCluster(kube.config, logger) : undefined;
    if (!cluster) logger.warn({ reason: kube.reason }, 'no cluster configured: status stays Unknown');
    await cluster
      ?.connect()
      .catch((err) => logger.warn({ err: (err as Error).message }, 'cluster not reachable yet'));
    const credentials = gitCredentials(config);
    const repoURLs = new Map(apps.map((app) => [app.name, app.config.repoURL]));
    const repo = new GitConfigRepo({
      dir: join(config.GITOPS_DATA_DIR, 'reconciler', hostname()),
      repoURLOf: (app) => repoURLs.get(app) ?? '',
      access: () => gitAccess(credentials),
      author: { name: config.GIT_AUTHOR_NAME, email: config.GIT_AUTHOR_EMAIL },
    });
    const controller = new Controller({
      apps,
      cluster,
      ...(kube.reason ? { noClusterReason: kube.reason } : {}),
      repo,
      store: new RedisState(redis()),
      renders: new RenderCache({
        kustomize: await kustomizeCommand(config.KUSTOMIZE_BIN),
        maxBytes: config.RENDER_MAX_BYTES,
      }),
      maxObjects: config.RENDER_MAX_OBJECTS,
      healthTimeoutMs: config.HEALTH_TIMEOUT,
      healthPollMs: config.HEALTH_POLL,
      driftDebounceMs: config.DRIFT_DEBOUNCE,
      metrics: reconcilerMetrics(metrics.registry),
      logger,
      publish: async (event) => {
        await bus.publish(event, { once: true });
      },
    });
    const guard = apiGuard(
      config.GITOPS_API_TOKENS_FILE ? readApiTokens(config.GITOPS_API_TOKENS_FILE) : undefined,
    );
    const handlerDeps = { apps: controller.apps, engine: controller.engine };
    return {
      stage: {
        consumes: ['config.updated', 'config.pushed'],
        handlers: reconcilerHandlers(handlerDeps),
        onExhausted: reconcilerExhausted(handlerDeps),
        concurrency: config.RECONCILE_CONCURRENCY,
      },
      routes: (app) => {
        statusRoutes(controller)(app);
        guardedRoutes(guard, actionRoutes(controller))(app);
      },
      tasks: [
        resyncTask(controller, cluster, logger, { intervalMs: config.RESYNC_INTERVAL }),
        {
          start: () => undefined,
          stop: async () => {
            controller.stop();
            await cluster?.stop();
          },
        },
      ],
      summary: { cluster: cluster ? 'configured' : kube.reason, apps: apps.length },
    };
  },
});
