import type { Bus, ConsumerHandle } from '@gitops/bus';
import { SUBJECT_PREFIX } from '@gitops/contracts';
import type { BackgroundTask } from '@gitops/service';
import type { Sql } from '../ports.js';
import { type BatchResult, writeBatch } from './write-batch.js';

/** The metrics service's one durable, over every event (nats-users.conf grants it). */
export const DURABLE = 'metrics';

export interface IngestOptions {
  bus: Bus;
  db: Sql;
  maxBatch: number;
  maxWaitMs: number;
  ackWaitMs: number;
  /** Called after each committed batch (metrics, SSE wake-ups). */
  onStored(result: BatchResult): void;
}

/**
 * Stores every event of `gitops.v1.>`: batches from the durable, each written in one transaction
 * and acked only after it committed. A crash before the commit redelivers the batch; after it,
 * before the acks, redelivers events the store already has, which it skips by id.
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
        async (batch) =>
          options.onStored(
            await writeBatch(
              options.db,
              batch.map((item) => item.event),
            ),
          ),
      );
    },
    stop: async () => consumer?.stop(),
  };
}
