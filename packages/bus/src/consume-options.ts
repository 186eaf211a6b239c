import type { AnyEvent, EventName } from '@gitops/contracts';
import type { extractTraceContext } from '@gitops/telemetry';
import { AckPolicy } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import type { ConsumerSpec } from './provision.js';

export interface ConsumeOptions {
  /** `<service>--<stage>-<event>` (see durableName): replicas sharing it split the work. */
  durable: string;
  filterSubject: string;
  /** Refuse (dead-letter) any other kind of event arriving on the filter. */
  expected?: EventName;
  /** Deliveries before a failing message is dead-lettered (default 5). */
  maxDeliver?: number;
  /** Unacked this long, a message is redelivered; handlers doing long work call working() (default 30 s). */
  ackWaitMs?: number;
  /** Handlers running at once in this process (default 8). */
  maxInFlight?: number;
  /** Delay before redelivering after a retryable failure (default 1 s doubling, at most 1 min). */
  backoffMs?: (deliveryCount: number) => number;
  /**
   * How far back a consumer that does not exist yet starts (default 1 h): a stage deployed or
   * renamed later catches up on recent events without replaying the stream's whole 30 days.
   * An existing durable keeps its position.
   */
  startLookbackMs?: number;
}

/** What a handler receives for one message. */
export interface Delivery {
  event: AnyEvent;
  subject: string;
  /** 1 on the first delivery. */
  deliveryCount: number;
  /** The context of this delivery's CONSUMER span (a child of the producer's), to carry into later work. */
  traceContext: ReturnType<typeof extractTraceContext>;
  /** Resets the ack timer during long work. */
  working(): void;
}

/** Resolves: the message is acked. Throws: retried or dead-lettered, depending on `classify(err)`. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface ConsumerHandle {
  /** Stops pulling, waits for running handlers, and leaves unstarted messages to be redelivered. */
  stop(): Promise<void>;
}

export const defaultBackoff = (deliveryCount: number) => Math.min(1000 * 2 ** (deliveryCount - 1), 60_000);

export type ConsumeSettings = Required<Omit<ConsumeOptions, 'expected'>> & Pick<ConsumeOptions, 'expected'>;

export const withDefaults = (options: ConsumeOptions): ConsumeSettings => ({
  maxDeliver: 5,
  ackWaitMs: 30_000,
  maxInFlight: 8,
  backoffMs: defaultBackoff,
  startLookbackMs: 3_600_000,
  ...options,
});

export const consumerSpec = (settings: ConsumeSettings): ConsumerSpec => ({
  durable_name: settings.durable,
  filter_subject: settings.filterSubject,
  ack_policy: AckPolicy.Explicit,
  ack_wait: nanos(settings.ackWaitMs),
  max_deliver: settings.maxDeliver,
});
