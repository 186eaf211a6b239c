import { hostname } from 'node:os';
import { type Application, gitCredentials } from '@gitops/config';
import { gitAccess } from '@gitops/git';
import { apiGuard, defineService, guardedRoutes, readApiTokens } from '@gitops/service';
import { RedisRepoLock } from './adapters/redis-lock.js';
import { RedisPromotionState } from './adapters/redis-state.js';
import { type UpdaterConfig, commitIdentity, refuseUrlCredentials, updaterEnv } from './config.js';
import { SERVICE } from './events.js';
import { updaterExhausted, updaterHandlers } from './handlers.js';
import { writerMetrics } from './metrics.js';
import { registerUpdaterRoutes } from './routes.js';
import { RepoWriter, type WriterOptions } from './writer/config-writer.js';

/** The writer's options from the configuration: credentials, identity, signing, race handling. */
function writerOptions(
  config: UpdaterConfig,
  env: NodeJS.ProcessEnv,
): Omit<WriterOptions, 'lock' | 'logger'> {
  const credentials = gitCredentials(config);
  return {
    dataDir: config.GITOPS_DATA_DIR,
    worker: hostname(),
    access: () => gitAccess(credentials, env),
    commit: {
      ...commitIdentity(config),
      timeoutMs: config.CONFIG_GIT_TIMEOUT,
      ...(config.GIT_SIGNING_KEY_FILE ? { signingKeyFile: config.GIT_SIGNING_KEY_FILE } : {}),
    },
    pushAttempts: config.CONFIG_PUSH_ATTEMPTS,
    raceDelayMs: config.CONFIG_RACE_BACKOFF,
  };
}

const approversOf = (list: string | undefined) =>
  list
    ? new Set(
        list
          .split(',')
          .map((name) => name.trim())
          .filter(Boolean),
      )
    : undefined;

/** Stage 4: `image.pushed` (and `deploy.succeeded`, `rollback.completed`) in, config commits and `config.*`/`promotion.*` out. */
export const configUpdater = defineService({
  service: SERVICE,
  env: updaterEnv,
  create: ({ config, apps, env, redis, bus, logger, metrics }) => {
    refuseUrlCredentials(apps);
    const lock = new RedisRepoLock(redis(), { ttlMs: config.CONFIG_LOCK_TTL, pollMs: 25 });
    const writer = new RepoWriter({
      ...writerOptions(config, env),
      lock,
      logger,
      ...writerMetrics(metrics.registry),
    });
    const state = new RedisPromotionState(redis());
    const byName = new Map<string, Application>(apps.map((app) => [app.name, app]));
    const deps = { apps: byName, writer, state };
    const tokens = config.GITOPS_API_TOKENS_FILE ? readApiTokens(config.GITOPS_API_TOKENS_FILE) : undefined;
    const approvers = approversOf(config.PROMOTION_APPROVERS);
    return {
      stage: {
        consumes: ['image.pushed', 'deploy.succeeded', 'rollback.completed'],
        handlers: updaterHandlers(deps),
        onExhausted: updaterExhausted(deps),
        concurrency: config.CONFIG_CONCURRENCY,
      },
      routes: guardedRoutes(apiGuard(tokens), (app) =>
        registerUpdaterRoutes(app, {
          ...deps,
          publish: async (event) => {
            await bus.publish(event, { once: true });
          },
          ...(approvers ? { approvers } : {}),
        }),
      ),
      summary: { apps: apps.length, signed: Boolean(config.GIT_SIGNING_KEY_FILE) },
    };
  },
});
