import type { Logger } from '@gitops/telemetry';
import type { Outbox } from './outbox.js';
import type { ResultDelivery } from './result-delivery.js';

/**
 * Delivers the outbox's entries every `intervalMs` while any wait, in order, each once; answers the
 * function that stops it (after the pass under way).
 */
export function startDraining(
  outbox: Outbox,
  results: ResultDelivery,
  logger: Logger,
  intervalMs = 1000,
): () => Promise<void> {
  let pass: Promise<void> = Promise.resolve();
  const drain = async () => {
    try {
      const delivered = await outbox.drain((entry) => results.publish(entry));
      if (delivered > 0) logger.info({ delivered }, 'outbox delivered');
    } catch (err) {
      logger.debug({ err }, 'outbox not delivered yet');
    }
  };
  const timer = setInterval(() => {
    pass = pass.then(drain);
  }, intervalMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await pass;
  };
}
