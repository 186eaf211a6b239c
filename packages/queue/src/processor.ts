import { type AnyEvent, decodeEvent } from '@gitops/contracts';
import { classify, describeError } from '@gitops/errors';
import {
  type Logger,
  type Metrics,
  consumerSpan,
  extractTraceContext,
  pipelineLogger,
  recordCarrier,
} from '@gitops/telemetry';
import { type Job, UnrecoverableError } from 'bullmq';
import { type ResultDelivery, jobDoneKey } from './result-delivery.js';
import type { StageHandler, StageJobData, StageRunnerOptions } from './stage-options.js';

export interface ProcessorDeps {
  queue: string;
  results: ResultDelivery;
  handlers: StageRunnerOptions['handlers'];
  onExhausted?: StageRunnerOptions['onExhausted'];
  logger: Logger;
  metrics?: Metrics | undefined;
  /** Aborted when the runner stops waiting for running jobs. */
  shutdown: AbortSignal;
}

type StageJob = Job<StageJobData, number>;

const isFinal = (job: StageJob, err: unknown) =>
  err instanceof UnrecoverableError ||
  classify(err) === 'drop' ||
  job.attemptsMade + 1 >= (job.opts.attempts ?? 1);

/**
 * The BullMQ processor of a stage: runs the event's handler inside a CONSUMER span (`process
 * <queue>`) parented on the span that enqueued the job, so the trace of the event runs on through
 * the job into the events it publishes; publishes the result events, and decides the job's fate by
 * what it throws. On the last attempt it publishes the onExhausted events, so a pipeline that gives
 * up still says so.
 */
export function createProcessor(deps: ProcessorDeps) {
  return async (job: StageJob, _token?: string, signal?: AbortSignal): Promise<number> => {
    let decoded: AnyEvent;
    try {
      decoded = decodeEvent(job.data.event);
    } catch (err) {
      throw new UnrecoverableError(describeError(err));
    }
    const message = {
      system: 'bullmq',
      destination: deps.queue,
      messageId: job.id ?? '',
      conversationId: decoded.event.data.pipelineId,
      consumerGroup: deps.queue,
      attempt: job.attemptsMade + 1,
    } as const;
    const enqueued = extractTraceContext(recordCarrier({ ...job.data.carrier }));
    const aborted = AbortSignal.any(signal ? [signal, deps.shutdown] : [deps.shutdown]);
    return consumerSpan(message, enqueued, () => runJob(deps, job, decoded, aborted));
  };
}

async function runJob(
  deps: ProcessorDeps,
  job: StageJob,
  decoded: AnyEvent,
  signal: AbortSignal,
): Promise<number> {
  const { app, pipelineId } = decoded.event.data;
  const attempt = job.attemptsMade + 1;
  const logger = pipelineLogger(deps.logger, { app, pipelineId }).child({ jobId: job.id, attempt });
  const handler = deps.handlers[decoded.name] as StageHandler<typeof decoded.name> | undefined;
  // A job left in the queue by a deployment that consumed other events: no retry can run it.
  if (!handler) throw new UnrecoverableError(`${deps.queue} has no handler for ${decoded.name}`);
  const started = performance.now();
  const observe = (outcome: string) =>
    deps.metrics?.jobDuration.observe({ queue: deps.queue, outcome }, (performance.now() - started) / 1000);
  const jobId = job.id ?? '';
  const done = (value: string) => ({ key: jobDoneKey(deps.queue, jobId), value });
  // A replayed event, or a job Redis lost after it finished: its results are out already. While NATS
  // is away that is unknown: the job runs, and its results wait in the outbox.
  if ((await deps.results.finished(done('').key)) === true) {
    observe('replayed');
    logger.info('job finished before; its results are published already');
    return 0;
  }
  try {
    const ctx = { logger, jobId, attempt, signal, publish: deps.results.publishEvent };
    const results = await handler(decoded.event, ctx);
    await deps.results.deliver({ events: results, done: done('completed') });
    observe('completed');
    return results.length;
  } catch (err) {
    if (!isFinal(job, err)) {
      observe('retry');
      logger.warn({ error: describeError(err) }, 'job failed; will retry');
      throw err;
    }
    observe('failed');
    logger.error({ error: describeError(err) }, 'job failed; no attempts left');
    await deps.results.deliver({ events: deps.onExhausted?.(decoded, err) ?? [], done: done('failed') });
    throw new UnrecoverableError(describeError(err));
  }
}
