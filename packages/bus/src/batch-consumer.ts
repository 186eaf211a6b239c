import { type AnyEvent, STREAM_NAME, decodeEvent } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { Logger } from '@gitops/telemetry';
import type { ConsumerMessages, JetStreamClient, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import { consumerSpec, withDefaults } from './consume-options.js';
import { deadLetter } from './dead-letter.js';
import type { DeadLetterReason } from './names.js';
import { ensureConsumer } from './provision.js';
import { consumeResuming } from './resume.js';

export interface BatchConsumeOptions {
  /** The durable consumer (created at start, or updated, like `consume`'s). */
  durable: string;
  /** One subject filter (nats-server 2.9 has no multi-filter consumers), e.g. `gitops.v1.>`. */
  filterSubject: string;
  /** A batch is handed over at this many messages … (default 500). */
  maxBatch?: number;
  /** … or this long after its first message arrived (default 50 ms). */
  maxWaitMs?: number;
  /** Unacked this long, a message is redelivered (default 30 s). */
  ackWaitMs?: number;
  /** Delay before a failed batch is redelivered (default 1 s). */
  retryDelayMs?: number;
  /** How far back a consumer that does not exist yet starts (default: the whole stream). */
  startLookbackMs?: number;
}

/** One decoded message of a batch, with the stream sequence it was stored at. */
export interface BatchItem {
  event: AnyEvent;
  subject: string;
  streamSeq: number;
}

/** Items of a batch the handler gave up on (a store that always refuses them), each with why. */
export interface BatchOutcome {
  rejected: Array<{ item: BatchItem; error: unknown }>;
}

/**
 * Resolves: every message of the batch is acked, except those it names `rejected`, which are
 * dead-lettered (reason `dropped`). Throws: every one is redelivered after `retryDelayMs`.
 */
// biome-ignore lint/suspicious/noConfusingVoidType: a handler that returns nothing acks the whole batch
export type BatchHandler = (batch: BatchItem[]) => Promise<void | BatchOutcome>;

export interface BatchConsumerDeps {
  nc: NatsConnection;
  js: JetStreamClient;
  jsm: JetStreamManager;
  logger: Logger;
}

/**
 * A durable pull consumer that hands messages over in batches, one batch at a time, and acks a
 * batch only once its handler resolved: a store that commits the batch before resolving gets
 * at-least-once delivery with nothing lost across crashes. Messages that do not decode are
 * dead-lettered one by one and never reach the handler, and so are those the handler returns as
 * rejected. No retry limit: a batch is retried until its handler succeeds (a store outage must not
 * drop events).
 */
export class BatchConsumer {
  readonly #stopping = new AbortController();
  readonly #settings: Required<BatchConsumeOptions>;
  #messages: ConsumerMessages | undefined;
  #running: Promise<void> = Promise.resolve();
  #pending: JsMsg[] = [];
  #timer: NodeJS.Timeout | undefined;
  #flushing: Promise<void> = Promise.resolve();

  constructor(
    private readonly deps: BatchConsumerDeps,
    options: BatchConsumeOptions,
    private readonly handler: BatchHandler,
  ) {
    this.#settings = {
      maxBatch: 500,
      maxWaitMs: 50,
      ackWaitMs: 30_000,
      retryDelayMs: 1000,
      startLookbackMs: Number.MAX_SAFE_INTEGER,
      ...options,
    };
  }

  async start(): Promise<void> {
    await this.#ensure();
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#stopping.abort();
    clearTimeout(this.#timer);
    this.#messages?.close().catch(() => undefined);
    await this.#running;
    await this.#flushing;
    // Pulled but not handed over: back to the stream for the next start or another replica.
    for (const msg of this.#pending.splice(0)) msg.nak();
  }

  #ensure(): Promise<void> {
    const settings = withDefaults({ ...this.#settings, maxDeliver: -1 });
    return ensureConsumer(this.deps.jsm, STREAM_NAME, consumerSpec(settings), {
      startLookbackMs: Math.min(this.#settings.startLookbackMs, Date.now()),
      logger: this.deps.logger,
    });
  }

  #run(): Promise<void> {
    return consumeResuming({
      signal: this.#stopping.signal,
      isClosed: () => this.deps.nc.isClosed(),
      ensure: () => this.#ensure(),
      consume: () => this.#consume(),
      logger: this.deps.logger,
      what: 'batch consumer',
    });
  }

  async #consume(): Promise<void> {
    const { durable, maxBatch } = this.#settings;
    const consumer = await this.deps.js.consumers.get(STREAM_NAME, durable);
    this.#messages = await consumer.consume({ max_messages: maxBatch * 2, abort_on_missing_resource: true });
    if (this.#stopping.signal.aborted) await this.#messages.close();
    for await (const msg of this.#messages) {
      if (this.#stopping.signal.aborted) {
        msg.nak();
        continue;
      }
      this.#pending.push(msg);
      if (this.#pending.length >= maxBatch) await this.#flush();
      else this.#timer ??= setTimeout(() => void this.#flush(), this.#settings.maxWaitMs);
    }
  }

  // Serialized: a timer flush and a full-batch flush never run at once, so batches stay in order.
  #flush(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    const messages = this.#pending.splice(0);
    if (messages.length === 0) return this.#flushing;
    this.#flushing = this.#flushing.then(() => this.#handle(messages));
    return this.#flushing;
  }

  async #handle(messages: JsMsg[]): Promise<void> {
    const batch: BatchItem[] = [];
    const decoded: JsMsg[] = [];
    for (const msg of messages) {
      try {
        batch.push({ event: decodeEvent(msg.data), subject: msg.subject, streamSeq: msg.seq });
        decoded.push(msg);
      } catch (err) {
        await this.#deadLetter(msg, 'invalid-payload', err);
      }
    }
    if (batch.length === 0) return;
    let outcome: BatchOutcome | undefined;
    try {
      outcome = (await this.handler(batch)) as BatchOutcome | undefined;
    } catch (err) {
      this.deps.logger.warn({ error: describeError(err), size: batch.length }, 'batch failed; retrying');
      for (const msg of decoded) msg.nak(this.#settings.retryDelayMs);
      return;
    }
    const rejected = new Map(outcome?.rejected.map(({ item, error }) => [item.streamSeq, error]));
    for (const msg of decoded) {
      if (rejected.has(msg.seq)) await this.#deadLetter(msg, 'dropped', rejected.get(msg.seq));
      else msg.ack();
    }
  }

  async #deadLetter(msg: JsMsg, reason: DeadLetterReason, err: unknown): Promise<void> {
    try {
      await deadLetter(this.deps.js, msg, this.#settings.durable, reason, err);
      this.deps.logger.error(
        { seq: msg.seq, subject: msg.subject, reason, error: describeError(err) },
        'dead-lettered',
      );
    } catch (publishErr) {
      msg.nak(this.#settings.retryDelayMs);
      this.deps.logger.error({ seq: msg.seq, err: publishErr }, 'dead-lettering failed; will retry');
    }
  }
}
