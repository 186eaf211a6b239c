import { STREAM_NAME } from '@gitops/contracts';
import type { ConsumerMessages, JetStreamManager, JsMsg } from '@nats-io/jetstream';
import type { NatsConnection } from '@nats-io/transport-node';
import {
  type ConsumeOptions,
  type ConsumeSettings,
  type ConsumerHandle,
  type DeliveryHandler,
  consumerSpec,
  withDefaults,
} from './consume-options.js';
import { trackConsumerPending } from './consumer-metrics.js';
import { Deliverer, type DelivererDeps } from './deliver.js';
import { ensureConsumer } from './provision.js';
import { consumeResuming } from './resume.js';

export interface ConsumerDeps extends DelivererDeps {
  nc: NatsConnection;
  jsm: JetStreamManager;
}

/** A durable pull consumer that survives bad messages, failing handlers and NATS restarts. */
export class ConsumerLoop implements ConsumerHandle {
  readonly #stopping = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  readonly #settings: ConsumeSettings;
  readonly #deliverer: Deliverer;
  #messages: ConsumerMessages | undefined;
  #running: Promise<void> = Promise.resolve();
  #untrack: (() => void) | undefined;

  constructor(
    private readonly deps: ConsumerDeps,
    options: ConsumeOptions,
    handler: DeliveryHandler,
  ) {
    this.#settings = withDefaults(options);
    this.#deliverer = new Deliverer(deps, this.#settings, handler);
  }

  /** Creates or updates the durable, then consumes in the background. */
  async start(): Promise<void> {
    await this.#ensure();
    const { metrics, jsm } = this.deps;
    this.#untrack = metrics && trackConsumerPending(metrics.registry, jsm, this.#settings.durable);
    this.#running = this.#run();
  }

  async stop(): Promise<void> {
    this.#untrack?.();
    this.#stopping.abort();
    this.#close();
    await this.#running;
    await Promise.allSettled([...this.#inFlight]);
  }

  // Not awaited: close() settles only once the loop iterates up to it, which ends #running.
  #close(): void {
    this.#messages?.close().catch(() => undefined);
  }

  #ensure(): Promise<void> {
    return ensureConsumer(this.deps.jsm, STREAM_NAME, consumerSpec(this.#settings), {
      startLookbackMs: this.#settings.startLookbackMs,
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
      what: 'consumer',
    });
  }

  async #consume(): Promise<void> {
    const { durable, maxInFlight } = this.#settings;
    const consumer = await this.deps.js.consumers.get(STREAM_NAME, durable);
    // Pulls are sent as the iterator advances, so at most about maxInFlight messages wait here.
    this.#messages = await consumer.consume({ max_messages: maxInFlight, abort_on_missing_resource: true });
    if (this.#stopping.signal.aborted) this.#close();
    for await (const msg of this.#messages) {
      while (this.#inFlight.size >= maxInFlight) await Promise.race(this.#inFlight);
      if (this.#stopping.signal.aborted) {
        // Stopping: hand the messages already pulled straight back for another replica.
        msg.nak();
        continue;
      }
      const processing = this.#process(msg).finally(() => this.#inFlight.delete(processing));
      this.#inFlight.add(processing);
    }
  }

  async #process(msg: JsMsg): Promise<void> {
    try {
      await this.#deliverer.deliver(msg);
    } catch (err) {
      // Settling failed (connection gone): JetStream redelivers the message after the ack wait.
      this.deps.logger.error({ err, seq: msg.seq }, 'could not settle message');
    }
  }
}
