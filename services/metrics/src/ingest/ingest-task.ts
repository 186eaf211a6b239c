import type { Bus, ConsumerHandle } from '@gitops/bus';
import { type AnyEvent, DEAD_LETTER_PREFIX, SUBJECT_PREFIX } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { BackgroundTask } from '@gitops/service';
import type { Logger } from '@gitops/telemetry';
import type { Sql } from '../ports.js';
import { storeBatch } from './store-batch.js';
import type { BatchResult } from './write-batch.js';

/** The metrics service's one durable, over every event (nats-users.conf grants it). */
export const DURABLE = 'metrics';

export interface IngestOptions {
  bus: Bus;
  db: Sql;
  maxBatch: number;
  maxWaitMs: number;
  ackWaitMs: number;
  logger: Logger;
  /** Called after each committed batch (metrics, SSE wake-ups). */
  onStored(result: BatchResult): void;
  /** Called for each event the store refused, which is dead-lettered. */
  onRefused(event: AnyEvent): void;
}

/**
 * Stores every event of `gitops.v1.>`: batches from the durable, each written in one transaction
 * and acked only after it committed. A crash before the commit redelivers the batch; after it,
 * before the acks, redelivers events the store already has, which it skips by id. An event the
 * store refuses for its data (storeBatch) is dead-lettered to `gitops.dlq.metrics`, logged and
 * counted, and the others of its batch are stored: it cannot stop ingestion.
 */
export function ingestTask(options: IngestOptions): BackgroundTask {
  let consumer: ConsumerHandle | undefined;
  return {
    async start() {
      consumer = await options.bus.consumeBatches(
        {
          durable: DURABLE,
          filterSubject: `${SUBJECT_PREFIX}.>`,
          maxBatch: options.maxBatch,
          maxWaitMs: options.maxWaitMs,
          ackWaitMs: options.ackWaitMs,
        },
        async (batch) => {
          const events = batch.map((item) => item.event);
          const refused = await storeBatch(options.db, events, options.onStored);
          for (const { index, error } of refused) {
            const { name, event } = events[index]!;
            options.logger.error(
              { eventId: event.id, name, app: event.data.app, error: describeError(error) },
              `event refused by the store; dead-lettered to ${DEAD_LETTER_PREFIX}.${DURABLE}`,
            );
            options.onRefused(events[index]!);
          }
          return { rejected: refused.map(({ index, error }) => ({ item: batch[index]!, error })) };
        },
      );
    },
    stop: async () => consumer?.stop(),
  };
}
