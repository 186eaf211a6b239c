import { type AnyEvent, decodeEvent } from '@gitops/contracts';
import { classify, describeError } from '@gitops/errors';
import { type Logger, type Metrics, consumerSpan, extractTraceContext } from '@gitops/telemetry';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import type { ConsumeSettings, DeliveryHandler } from './consume-options.js';
import { deadLetter } from './dead-letter.js';
import { natsCarrier } from './headers.js';
import type { DeadLetterReason } from './names.js';

export interface DelivererDeps {
  js: JetStreamClient;
  /** Bound to the consumer. */
  logger: Logger;
  metrics?: Metrics | undefined;
}

/**
 * Settles one message: decodes it, runs the handler in a CONSUMER span parented on the producer's
 * trace, and acks, naks with backoff, or dead-letters and terms it, by what the handler did.
 */
export class Deliverer {
  constructor(
    private readonly deps: DelivererDeps,
    private readonly settings: ConsumeSettings,
    private readonly handler: DeliveryHandler,
  ) {}

  async deliver(msg: JsMsg): Promise<void> {
    let event: AnyEvent;
    try {
      event = decodeEvent(msg.data, this.settings.expected);
    } catch (err) {
      return this.#deadLetter(msg, 'invalid-payload', err);
    }
    try {
      await this.#invoke(msg, event);
    } catch (err) {
      return this.#failed(msg, err);
    }
    msg.ack();
    this.#count('ack');
  }

  #invoke(msg: JsMsg, event: AnyEvent): Promise<void> {
    const message = {
      system: 'nats',
      destination: msg.subject,
      messageId: event.event.id,
      conversationId: event.event.data.pipelineId,
      bodySize: msg.data.byteLength,
      consumerGroup: this.settings.durable,
      attempt: msg.info.deliveryCount,
    } as const;
    const producer = extractTraceContext(natsCarrier(msg.headers));
    return consumerSpan(message, producer, (traceContext) =>
      this.handler({
        event,
        subject: msg.subject,
        deliveryCount: msg.info.deliveryCount,
        traceContext,
        working: () => msg.working(),
      }),
    );
  }

  async #failed(msg: JsMsg, err: unknown): Promise<void> {
    const deliveries = msg.info.deliveryCount;
    if (classify(err) === 'drop') return this.#deadLetter(msg, 'dropped', err);
    if (deliveries >= this.settings.maxDeliver) return this.#deadLetter(msg, 'max-deliveries', err);
    const delayMs = this.settings.backoffMs(deliveries);
    msg.nak(delayMs);
    this.#count('retry');
    this.deps.logger.warn(
      { seq: msg.seq, deliveries, delayMs, error: describeError(err) },
      'handler failed; retrying',
    );
  }

  async #deadLetter(msg: JsMsg, reason: DeadLetterReason, err: unknown): Promise<void> {
    const fields = { seq: msg.seq, subject: msg.subject, reason, error: describeError(err) };
    try {
      await deadLetter(this.deps.js, msg, this.settings.durable, reason, err);
    } catch (publishErr) {
      // Never term a message whose copy is not stored: try the whole thing again later.
      msg.nak(this.settings.backoffMs(msg.info.deliveryCount));
      this.#count('retry');
      this.deps.logger.error({ ...fields, err: publishErr }, 'dead-lettering failed; will retry');
      return;
    }
    this.#count('dead-letter');
    this.deps.logger.error(fields, 'dead-lettered');
  }

  #count(outcome: 'ack' | 'retry' | 'dead-letter'): void {
    this.deps.metrics?.eventsConsumed.inc({ consumer: this.settings.durable, outcome });
  }
}
