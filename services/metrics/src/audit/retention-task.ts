import type { BackgroundTask } from '@gitops/service';
import type { Logger } from '@gitops/telemetry';
import type { Sql } from '../ports.js';
import { pruneLedger } from './ledger.js';
import type { CheckpointSigner } from './signing.js';

const DAY = 86_400_000;

/** Prunes ledger records older than the retention at start and once a day. */
export function retentionTask(options: {
  db: Sql;
  signer: CheckpointSigner;
  retentionMs: number;
  logger: Logger;
  intervalMs?: number;
}): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const prune = async () => {
    try {
      const result = await pruneLedger(
        options.db,
        options.signer,
        new Date(Date.now() - options.retentionMs),
      );
      if (result.refused)
        options.logger.error({ ...result.refused }, 'audit ledger does not verify; nothing pruned');
      else if (result.pruned > 0)
        options.logger.info(result, 'audit ledger pruned behind a signed checkpoint');
    } catch (err) {
      options.logger.warn({ err }, 'audit ledger pruning failed; retrying at the next interval');
    }
  };
  return {
    start() {
      running = prune();
      timer = setInterval(() => {
        running = prune();
      }, options.intervalMs ?? DAY);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
