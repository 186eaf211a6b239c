import type { Application } from '@gitops/config';
import { defineService } from '@gitops/service';
import type { Logger, Metrics } from '@gitops/telemetry';
import type { Redis } from 'ioredis';
import { ociRegistry } from './adapters/oci-registry.js';
import { RedisBuildCounter } from './adapters/redis-build-numbers.js';
import { loadSigner } from './adapters/signing-key.js';
import { DurableBuildNumbers } from './build-numbers.js';
import { type PusherConfig, pusherEnv } from './config.js';
import { SERVICE } from './events.js';
import { type PusherDeps, pusherExhausted, pusherHandlers } from './handlers.js';
import { pushMetrics } from './metrics.js';

/** The stage's dependencies from its configuration: the registry client, build numbers, the signer. */
function pusherDeps(
  config: PusherConfig,
  apps: Application[],
  redis: Redis,
  { logger, metrics }: { logger: Logger; metrics: Metrics },
): PusherDeps {
  const signer = config.PROVENANCE_SIGNING_KEY_FILE
    ? loadSigner(config.PROVENANCE_SIGNING_KEY_FILE)
    : undefined;
  const registry = ociRegistry({
    env: config,
    logger,
    upload: { chunkThreshold: config.REGISTRY_CHUNK_THRESHOLD, chunkSize: config.REGISTRY_CHUNK_SIZE },
    concurrency: config.PUSH_CONCURRENCY,
    retryBudgetMs: config.REGISTRY_RETRY_BUDGET,
  });
  return {
    apps: new Map(apps.map((app) => [app.name, app])),
    dataDir: config.GITOPS_DATA_DIR,
    registry,
    buildNumbers: new DurableBuildNumbers(new RedisBuildCounter(redis), registry),
    builderId: config.PROVENANCE_BUILDER_ID,
    onPushed: pushMetrics(metrics.registry),
    ...(signer ? { signer } : {}),
  };
}

/** Stage 3: `build.succeeded` in, the image in the registry and `image.pushed`/`image.failed` out. */
export const imagePusher = defineService({
  service: SERVICE,
  env: pusherEnv,
  create: ({ config, apps, redis, logger, metrics }) => {
    const deps = pusherDeps(config, apps, redis(), { logger, metrics });
    return {
      stage: {
        consumes: ['build.succeeded'],
        handlers: pusherHandlers(deps),
        onExhausted: pusherExhausted(deps),
      },
      summary: { signed: Boolean(deps.signer) },
    };
  },
});
