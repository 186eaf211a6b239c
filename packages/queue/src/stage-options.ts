import type { Bus, ConsumeOptions } from '@gitops/bus';
import type { AnyEvent, EventName, GitopsEvent } from '@gitops/contracts';
import type { Logger, Metrics } from '@gitops/telemetry';
import type { Redis } from 'ioredis';

/** What a handler gets besides its event. */
export interface JobContext {
  /** Bound to the event's app and pipelineId, and to the job. */
  logger: Logger;
  jobId: string;
  /** 1 on the first attempt. */
  attempt: number;
  /** Aborted when the runner gives up waiting for this job at shutdown. */
  signal: AbortSignal;
  /**
   * Publishes an event while the job runs (e.g. build.started), once; while NATS is away it waits in
   * the outbox with the results instead of failing the job.
   */
  publish(event: GitopsEvent): Promise<void>;
}

/**
 * Does one stage's work for one event and answers the events to publish. It may run again for the
 * same event (a retry, a stalled job), so it finds finished work done and answers the same events.
 * Throwing retries; an UnrecoverableError or a non-retryable AppError fails the job at once.
 */
export type StageHandler<N extends EventName> = (
  event: GitopsEvent<N>,
  ctx: JobContext,
) => Promise<GitopsEvent[]>;

/** The job catalog: one handler per consumed event name. */
export type StageHandlers = { [N in EventName]?: StageHandler<N> };

/** Which Redis connection a factory is asked for: the worker's must have `maxRetriesPerRequest: null`. */
export type RedisRole = 'producer' | 'worker';

export interface StageRunnerOptions {
  /** The service name: the queue's name and the prefix of its durable consumers. */
  service: string;
  bus: Bus;
  /** Used by the default connection factory, whose connections the runner closes at stop. */
  redisUrl?: string;
  /** Connections owned by the caller: the runner never closes them. */
  connection?: (role: RedisRole) => Redis;
  /** BullMQ's key prefix in Redis (default `bull`). */
  prefix?: string;
  consumes: readonly EventName[];
  handlers: StageHandlers;
  /** The failure events to publish once an event's job has no attempts left (e.g. build.failed). */
  onExhausted?: (event: AnyEvent, err: unknown) => GitopsEvent[];
  /**
   * Called with each consumed event before its job is enqueued, so a stage learns of an event as soon
   * as it arrives rather than when its job runs (the builder notes the newest push of a branch).
   * Called again for a redelivered event, so it must be idempotent; throwing retries the delivery,
   * as a failed enqueue does.
   */
  beforeEnqueue?: (event: AnyEvent) => Promise<void>;
  /** Jobs run at once by this process (default 1). */
  concurrency?: number;
  /** Attempts per job (default 3). */
  attempts?: number;
  /** First retry delay, doubling after each attempt (default 1 s). */
  backoffMs?: number;
  /** A worker that stops renewing its lock this long loses the job to stalled-job recovery (default 30 s). */
  lockDurationMs?: number;
  /** How often workers look for stalled jobs (default 30 s). */
  stalledIntervalMs?: number;
  /** Finished jobs are kept this long, so a replayed event finds its job done (default 24 h). */
  keepCompletedMs?: number;
  /** Failed jobs are kept this long for inspection (default 7 days). */
  keepFailedMs?: number;
  /** Settings of the consumers that turn events into jobs (default maxDeliver 20: ~15 min of backoff). */
  consumer?: Pick<ConsumeOptions, 'maxDeliver' | 'ackWaitMs' | 'maxInFlight' | 'backoffMs'>;
  /**
   * Where results wait while NATS is away (GITOPS_DATA_DIR/outbox/<service>); without it, a result
   * that cannot be published fails the job's attempt.
   */
  outboxDir?: string;
  /** How the held message of a queued job checks on it (tests shorten it). */
  waiter?: WaiterTuning;
  logger: Logger;
  metrics?: Metrics;
}

export interface WaiterTuning {
  /** How often the ledger is asked whether the job finished (default 1 s). */
  pollMs?: number;
  /** How often the job's presence in Redis is checked and the message's ack timer reset (default 10 s). */
  checkMs?: number;
}

/** What a job stores: the event and the trace context of the message that brought it. */
export interface StageJobData {
  event: GitopsEvent;
  carrier: Record<string, string>;
}
