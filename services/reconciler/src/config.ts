import { type ConfigOf, apiEnv, env, gitAuthEnv, gitAuthorEnv, serviceEnv, stageEnv } from '@gitops/config';

/** The reconciler's environment: the common variables plus its own (docs/reconciler.md). */
export const reconcilerEnv = {
  ...serviceEnv(8091),
  ...stageEnv,
  ...apiEnv,
  KUBECONFIG: env
    .optional()
    .describe(
      'the kubeconfig of the cluster to apply to; without it the in-cluster service account, else none (status Unknown)',
    ),
  KUSTOMIZE_BIN: env
    .optional()
    .describe(
      'the kustomize command (`kustomize`, or `kubectl kustomize`); default: `kustomize` on PATH, else `kubectl kustomize`',
    ),
  RESYNC_INTERVAL: env
    .duration('3m')
    .describe('how often every application environment is reconciled (jittered by up to 20%)'),
  HEALTH_TIMEOUT: env
    .duration('5m')
    .describe(
      'the progress deadline: how long a sync waits for Healthy before it reports deploy.failed (Degraded)',
    ),
  HEALTH_POLL: env.duration('500ms').describe('how often health is read from the watch caches while waiting'),
  DRIFT_DEBOUNCE: env
    .duration('1s')
    .describe('how long a change to a watched object settles before drift is checked'),
  RENDER_MAX_BYTES: env.bytes('8MiB').describe('the largest rendered manifests of one environment'),
  RENDER_MAX_OBJECTS: env.int(2000, 1, 100000).describe('the most objects one environment may render'),
  RECONCILE_CONCURRENCY: env
    .int(4, 1, 64)
    .describe('application environments reconciled at once by this replica'),
  ...gitAuthEnv,
  ...gitAuthorEnv('gitops-reconciler', 'reconciler@gitops.local'),
};

export type ReconcilerConfig = ConfigOf<typeof reconcilerEnv>;
