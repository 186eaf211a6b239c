import { setMaxListeners } from 'node:events';
import { type ConsumerHandle, type Delivery, durableName } from '@gitops/bus';
import { subjectFilter } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { injectTraceContext, recordCarrier } from '@gitops/telemetry';
import { type Job, Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { checkCatalog } from './catalog.js';
import { enqueueEvent, jobOptions } from './enqueue.js';
import { JobWaiter } from './job-waiter.js';
import { startDraining } from './outbox-drain.js';
import { Outbox } from './outbox.js';
import { createProcessor } from './processor.js';
import { trackQueueJobs } from './queue-metrics.js';
import { redisConnection } from './redis.js';
import { ResultDelivery } from './result-delivery.js';
import type { StageJobData, StageRunnerOptions } from './stage-options.js';
import { settlesWithin, waitForIdle } from './wait.js';

// How long one BullMQ close step may take before shutdown goes on without it.
const CLOSE_TIMEOUT_MS = 3000;

export interface StageRunner {
  /** Starts the worker, then one durable consumer per consumed event; on failure, closes what it opened. */
  start(): Promise<void>;
  /**
   * Stops the consumers, lets running jobs finish for up to `timeoutMs` (default 10 s), then closes.
   * A job still running then stays in Redis and another worker takes it over once its lock expires.
   */
  stop(timeoutMs?: number): Promise<void>;
  /** For /readyz: throws GITOPS_QUEUE_UNAVAILABLE unless Redis answers. */
  ping(): Promise<void>;
}

class BullStageRunner implements StageRunner {
  readonly #shutdown = new AbortController();
  readonly #running = new Set<Promise<number>>();
  /** The connections this runner opened itself; a `connection` factory's belong to its owner. */
  readonly #owned: Redis[] = [];
  #producer: Redis | undefined;
  #consumers: ConsumerHandle[] = [];
  #queue: Queue<StageJobData> | undefined;
  #worker: Worker<StageJobData, number> | undefined;
  #stopped: Promise<void> | undefined;
  /** Aborted first at stop: consumed events stop waiting for their jobs and go back to NATS. */
  readonly #stopping = new AbortController();
  readonly #results: ResultDelivery;
  readonly #outbox: Outbox | undefined;
  #stopDraining: (() => Promise<void>) | undefined;
  #waiter: JobWaiter | undefined;

  constructor(private readonly options: StageRunnerOptions) {
    const { bus, logger, outboxDir } = options;
    this.#outbox = outboxDir ? new Outbox(outboxDir, logger) : undefined;
    this.#results = new ResultDelivery(bus, this.#outbox, logger);
    // Every running job and every held message listens on these two: as many listeners as the concurrency.
    setMaxListeners(0, this.#shutdown.signal, this.#stopping.signal);
  }

  async start(): Promise<void> {
    if (this.#queue) throw new Error(`stage runner ${this.options.service} already started`);
    try {
      await this.#start();
    } catch (err) {
      await this.stop(0);
      throw err;
    }
  }

  async #start(): Promise<void> {
    const { service, logger } = this.options;
    this.#producer = this.#connect('producer');
    this.#queue = new Queue<StageJobData>(service, {
      connection: this.#producer,
      prefix: this.options.prefix ?? 'bull',
      defaultJobOptions: jobOptions(this.options),
    });
    this.#queue.on('error', (err) => logger.error({ err }, 'queue connection error'));
    trackQueueJobs(this.#queue, this.options.metrics?.registry);
    this.#waiter = new JobWaiter({
      queue: this.#queue,
      name: service,
      results: this.#results,
      logger,
      ...this.options.waiter,
    });
    if (this.#outbox) this.#stopDraining = startDraining(this.#outbox, this.#results, logger);
    this.#worker = this.#startWorker();
    for (const name of this.options.consumes) {
      const consumer = await this.options.bus.consume(
        {
          // A message is held until its job's results are stored, so a stage holds one per queued job;
          // it is redelivered only when a replica dies or stops, or Redis is away (then ~16 h of retries).
          maxDeliver: 1000,
          maxInFlight: 256,
          ...this.options.consumer,
          durable: durableName(service, name),
          filterSubject: subjectFilter(name),
          expected: name,
        },
        (delivery) => this.#enqueue(delivery),
      );
      this.#consumers.push(consumer);
    }
    logger.info({ queue: service, consumes: this.options.consumes }, 'stage runner started');
  }

  stop(timeoutMs = 10_000): Promise<void> {
    this.#stopped ??= this.#stop(timeoutMs);
    return this.#stopped;
  }

  async #stop(timeoutMs: number): Promise<void> {
    this.#stopping.abort();
    await Promise.all(this.#consumers.map((consumer) => consumer.stop()));
    this.#consumers = [];
    if (this.#worker) {
      await this.#settle('pause the worker', this.#worker.pause(true));
      const idle = await waitForIdle(this.#running, timeoutMs);
      if (!idle) {
        const running = this.#running.size;
        this.options.logger.warn({ running }, 'jobs still running; leaving them to stalled-job recovery');
      }
      // Force-closed, BullMQ records nothing more for the jobs left running, so they stay active in
      // Redis until their lock expires; aborting their signal only stops the wasted work.
      await this.#settle('close the worker', this.#worker.close(!idle));
      this.#shutdown.abort();
    }
    await this.#stopDraining?.();
    if (this.#queue) await this.#settle('close the queue', this.#queue.close());
    for (const connection of this.#owned.splice(0)) connection.disconnect();
  }

  /**
   * BullMQ's pause and close can wait forever on a blocking connection that lost its server, even
   * after Redis came back (taskforcesh/bullmq#2430, #4656): past a bound, shutdown goes on, and the
   * connections' owner disconnects them.
   */
  async #settle(what: string, work: Promise<unknown>): Promise<void> {
    if (!(await settlesWithin(work, CLOSE_TIMEOUT_MS))) {
      this.options.logger.warn({ timeoutMs: CLOSE_TIMEOUT_MS }, `could not ${what} in time; going on`);
    }
  }

  async ping(): Promise<void> {
    try {
      if (!this.#producer) throw new Error('the runner is not started');
      await this.#producer.ping();
    } catch (err) {
      throw new AppError('GITOPS_QUEUE_UNAVAILABLE', `Redis did not answer: ${(err as Error).message}`, {
        retryable: true,
        statusCode: 503,
        cause: err,
      });
    }
  }

  #connect(role: 'producer' | 'worker'): Redis {
    if (this.options.connection) return this.options.connection(role);
    const connection = redisConnection(this.options.redisUrl, role);
    this.#owned.push(connection);
    return connection;
  }

  #startWorker(): Worker<StageJobData, number> {
    const {
      service,
      logger,
      concurrency = 1,
      lockDurationMs = 30_000,
      stalledIntervalMs = 30_000,
    } = this.options;
    const processJob = createProcessor({
      ...this.options,
      queue: service,
      results: this.#results,
      shutdown: this.#shutdown.signal,
    });
    // Three parameters: BullMQ hands the signal only to processors that declare it.
    const tracked = (job: Job<StageJobData, number>, token?: string, signal?: AbortSignal) => {
      const running = processJob(job, token, signal);
      this.#running.add(running);
      return running.finally(() => this.#running.delete(running));
    };
    const worker = new Worker<StageJobData, number>(service, tracked, {
      connection: this.#connect('worker'),
      prefix: this.options.prefix ?? 'bull',
      concurrency,
      lockDuration: lockDurationMs,
      stalledInterval: stalledIntervalMs,
    });
    worker.on('error', (err) => logger.error({ err }, 'worker error'));
    worker.on('stalled', (jobId) => logger.warn({ jobId }, 'job stalled; back in the queue'));
    return worker;
  }

  async #enqueue(delivery: Delivery): Promise<void> {
    await this.options.beforeEnqueue?.(delivery.event);
    const carrier = recordCarrier();
    injectTraceContext(carrier, delivery.traceContext);
    await enqueueEvent(this.#queue!, delivery.event.event, carrier.record);
    await this.#waiter!.untilFinished(delivery, carrier.record, this.#stopping.signal);
  }
}

/** A stage that turns consumed events into BullMQ jobs and publishes what their handlers answer. */
export function createStageRunner(options: StageRunnerOptions): StageRunner {
  checkCatalog(options.service, options.consumes, options.handlers);
  return new BullStageRunner(options);
}
