import { type ConfigOf, env, serviceEnv } from '@gitops/config';

export const RETENTIONS = ['1y', '2y', '3y', '4y', '5y', '6y', '7y'] as const;

/** The metrics service's environment: the common variables plus its own (docs/metrics-service.md). */
export const metricsEnv = {
  ...serviceEnv(8090),
  DATABASE_URL: env
    .optional()
    .describe(
      'PostgreSQL (`postgres://user:password@host:5432/db`) for the metrics store; unset, an embedded PGlite database under `GITOPS_DATA_DIR/metrics/db` (one replica only)',
    ),
  DATABASE_POOL_SIZE: env.int(10, 1, 100).describe('PostgreSQL connections of one replica'),
  INGEST_BATCH: env
    .int(2000, 1, 5000)
    .describe('events stored per transaction at most (a batch fills up to it only under load)'),
  INGEST_WAIT: env.duration('50ms').describe('how long a batch waits to fill before it is stored'),
  INGEST_ACK_WAIT: env
    .duration('30s')
    .describe(
      'a batch not acked this long (the replica died) is redelivered; batches are stored well within it',
    ),
  AUDIT_RETENTION: env
    .oneOf(RETENTIONS, '7y')
    .describe('how long compliance ledger records are kept (`1y` to `7y`); older ones are pruned daily'),
  AUDIT_KEY_FILE: env
    .optional()
    .describe(
      'a file holding the HMAC-SHA256 key (at least 32 bytes) that signs retention checkpoints; unset, one is created at `GITOPS_DATA_DIR/metrics/audit.key`',
    ),
  GITOPS_API_TOKENS_FILE: env
    .optional()
    .describe('`<name> <token>` lines (docs/security.md); unset, the API answers loopback clients only'),
};

export type MetricsConfig = ConfigOf<typeof metricsEnv>;

/** Years of AUDIT_RETENTION as milliseconds (a year of 365.25 days). */
export const retentionMs = (retention: (typeof RETENTIONS)[number]) =>
  Number(retention.slice(0, -1)) * 365.25 * 86_400_000;
