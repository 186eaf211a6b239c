import { type GitopsEvent, encodeEvent, eventNameOfType, subjectFor } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { type Metrics, injectTraceContext, producerSpan } from '@gitops/telemetry';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { busUnavailable } from './errors.js';
import { natsCarrier } from './headers.js';
import type { Ledger } from './ledger.js';

export interface PublishOptions {
  /** How long to wait for JetStream's store ack before giving up (default: the bus's publish timeout). */
  timeoutMs?: number;
  /**
   * Publish nothing when the ledger says this event id was published already, so that plain NATS
   * subscribers (which JetStream's dedupe does not shield) see a repeated event once too.
   */
  once?: boolean;
}

export interface PublishResult {
  /** JetStream already held a message with this event id inside the duplicate window. */
  duplicate: boolean;
  /** The stream sequence of the stored message (of the first one, for a duplicate). */
  seq: number;
}

/**
 * Publishes an event to `gitops.v1.<app>.<stage>.<event>` and resolves once JetStream has stored it.
 * The event id is the Nats-Msg-Id, so publishing the same event again is stored once. The publish is
 * a PRODUCER span, and the `traceparent` header names it: consumers continue the trace from here.
 */
export async function publishEvent(
  js: JetStreamClient,
  event: GitopsEvent,
  options: { timeoutMs: number; metrics?: Metrics | undefined },
): Promise<PublishResult> {
  const name = eventNameOfType(event.type);
  if (!name) throw new AppError('GITOPS_BUS_UNKNOWN_EVENT', `cannot publish event type ${event.type}`);
  const subject = subjectFor(event.data.app, name);
  const data = encodeEvent(event);
  const message = {
    system: 'nats',
    destination: subject,
    messageId: event.id,
    conversationId: event.data.pipelineId,
    bodySize: data.byteLength,
  } as const;
  return producerSpan(message, async () => {
    const hdrs = headers();
    injectTraceContext(natsCarrier(hdrs));
    try {
      const ack = await js.publish(subject, data, {
        msgID: event.id,
        headers: hdrs,
        timeout: options.timeoutMs,
      });
      options.metrics?.eventsPublished.inc({ event: name, duplicate: String(ack.duplicate) });
      return { duplicate: ack.duplicate, seq: ack.seq };
    } catch (err) {
      throw busUnavailable(`event ${event.id} was not stored on ${subject}`, err);
    }
  });
}

/**
 * Publishes an event unless the ledger records it as published. JetStream stores a repeat once
 * anyway, but every core NATS subscriber of the subject receives each publish: checking first is
 * what keeps a redelivered webhook or a replayed job from reaching them twice. A crash between the
 * publish and the ledger entry can still repeat one publish, which JetStream's dedupe absorbs.
 */
export async function publishOnce(
  ledger: Ledger,
  event: GitopsEvent,
  publish: () => Promise<PublishResult>,
): Promise<PublishResult> {
  const key = `event.${event.id}`;
  const recorded = await ledger.get(key);
  if (recorded !== undefined) return { duplicate: true, seq: Number(recorded) };
  const result = await publish();
  await ledger.put(key, String(result.seq));
  return result;
}
