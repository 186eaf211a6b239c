import { type GitopsEvent, encodeEvent, eventNameOfType, subjectFor } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { type Metrics, injectTraceContext, producerSpan } from '@gitops/telemetry';
import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { busUnavailable } from './errors.js';
import { natsCarrier } from './headers.js';

export interface PublishOptions {
  /** How long to wait for JetStream's store ack before giving up (default: the bus's publish timeout). */
  timeoutMs?: number;
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
