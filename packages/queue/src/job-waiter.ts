import { setTimeout as sleep } from 'node:timers/promises';
import type { Delivery } from '@gitops/bus';
import { AppError } from '@gitops/errors';
import type { Logger } from '@gitops/telemetry';
import type { Queue } from 'bullmq';
import { enqueueEvent } from './enqueue.js';
import { jobIdFor } from './job-id.js';
import { type ResultDelivery, jobDoneKey } from './result-delivery.js';
import type { StageJobData, WaiterTuning } from './stage-options.js';

export interface JobWaiterOptions extends WaiterTuning {
  queue: Queue<StageJobData>;
  name: string;
  results: ResultDelivery;
  logger: Logger;
}

const stopping = () =>
  new AppError('GITOPS_QUEUE_STOPPING', 'the stage is stopping; the event goes to another replica', {
    retryable: true,
    statusCode: 503,
  });

/**
 * Holds a consumed event's NATS message until its job's results are stored (the ledger's job entry,
 * which outlives Redis), so the message, not Redis, is what keeps the work from being lost: a job
 * that Redis lost (a restart without persistence) is queued again from the held message, and a
 * replica that dies holding it lets NATS redeliver it to another.
 */
export class JobWaiter {
  constructor(private readonly options: JobWaiterOptions) {}

  async untilFinished(
    delivery: Delivery,
    carrier: Record<string, string>,
    signal: AbortSignal,
  ): Promise<void> {
    const { queue, name, results, pollMs = 1000, checkMs = 10_000 } = this.options;
    const event = delivery.event.event;
    const jobId = jobIdFor(event);
    const key = jobDoneKey(name, jobId);
    let checked = 0;
    for (;;) {
      const finished = await results.finished(key);
      if (finished) return;
      if (signal.aborted) throw stopping();
      // While NATS is away nothing can be acked, and a failure may sit in the outbox: just wait.
      if (finished === false && Date.now() - checked >= checkMs) {
        checked = Date.now();
        delivery.working();
        if (await this.#settledInRedis(queue, event, carrier, jobId)) return;
      }
      await sleep(pollMs, undefined, { signal }).catch(() => undefined);
    }
  }

  /**
   * Whether Redis says the job completed (its results were published or kept in the outbox, both
   * durable); re-drives a job Redis lost, or one BullMQ failed without the stage's failure event.
   */
  async #settledInRedis(
    queue: Queue<StageJobData>,
    event: StageJobData['event'],
    carrier: Record<string, string>,
    jobId: string,
  ): Promise<boolean> {
    const state = await queue.getJobState(jobId).catch(() => 'unreachable');
    if (state === 'unknown') {
      this.options.logger.warn({ jobId }, 'job missing from Redis with no result: queued again');
      await enqueueEvent(queue, event, carrier);
    } else if (state === 'failed') {
      // A job fails only after delivering its failure event (then the ledger says so), except when
      // BullMQ fails one that stalled too often: run it again.
      this.options.logger.warn({ jobId }, 'job failed with no result delivered: retried');
      await (await queue.getJob(jobId))?.retry('failed');
    }
    return state === 'completed';
  }
}
