import { join } from 'node:path';
import { apiGuard, defineService, readApiTokens } from '@gitops/service';
import { openDatabase } from './adapters/open-database.js';
import { StoredSignal } from './api/live.js';
import { apiRoutes } from './api/routes.js';
import { retentionTask } from './audit/retention-task.js';
import { hmacSigner, loadCheckpointKey } from './audit/signing.js';
import { metricsEnv, retentionMs } from './config.js';
import { dashboardRoutes } from './dashboard/assets.js';
import { ingestTask } from './ingest/ingest-task.js';
import { pipelineMetrics } from './metrics.js';

export const SERVICE = 'metrics';

/** Every event stored once; pipelines, builds, DORA and the audit ledger served over HTTP. */
export const metricsService = defineService({
  service: SERVICE,
  env: metricsEnv,
  create: async ({ config, logger, metrics, bus }) => {
    const keyFile = join(config.GITOPS_DATA_DIR, 'metrics', 'audit.key');
    const signer = hmacSigner(loadCheckpointKey(config.AUDIT_KEY_FILE, keyFile));
    const tokens = config.GITOPS_API_TOKENS_FILE ? readApiTokens(config.GITOPS_API_TOKENS_FILE) : undefined;
    const db = await openDatabase(config);
    const stored = new StoredSignal();
    const observe = pipelineMetrics(metrics.registry);
    const ingest = ingestTask({
      bus,
      db,
      maxBatch: config.INGEST_BATCH,
      maxWaitMs: config.INGEST_WAIT,
      ackWaitMs: config.INGEST_ACK_WAIT,
      logger,
      onRefused: observe.refused,
      onStored: (result) => {
        observe.stored(result);
        if (result.stored.length > 0) stored.notify();
      },
    });
    return {
      routes: (app) => {
        dashboardRoutes(app);
        apiRoutes({ db, signer, stored, auditGuard: apiGuard(tokens) })(app);
      },
      // Tasks stop in reverse: retention and ingest first, the database last.
      tasks: [
        { start: () => undefined, stop: () => db.close() },
        ingest,
        retentionTask({ db, signer, retentionMs: retentionMs(config.AUDIT_RETENTION), logger }),
      ],
      checks: { database: async () => void (await db.query('select 1')) },
      summary: { store: db.kind, retention: config.AUDIT_RETENTION, tokens: tokens?.size ?? 0 },
    };
  },
});
