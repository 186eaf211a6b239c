import type { Bus } from '@gitops/bus';
import { type AnyEvent, type GitopsEvent, decodeEvent } from '@gitops/contracts';
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
import type { StageHandler, StageJobData, StageRunnerOptions } from './stage-options.js';

export interface ProcessorDeps {
  queue: string;
  bus: Bus;
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
  try {
    const results = await handler(decoded.event, { logger, jobId: job.id ?? '', attempt, signal });
    await publishAll(deps.bus, results);
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
    await publishAll(deps.bus, deps.onExhausted?.(decoded, err) ?? []);
    throw new UnrecoverableError(describeError(err));
  }
}

// In order: a stage's events tell a story (started before succeeded). Each id dedupes a repeat.
async function publishAll(bus: Bus, events: GitopsEvent[]): Promise<void> {
  for (const event of events) await bus.publish(event);
}
