import { describeError } from '@gitops/errors';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { headers } from '@nats-io/transport-node';
import { DeadLetterHeaders, type DeadLetterReason, deadLetterSubject } from './names.js';

// Header values cannot hold line breaks, and an error message can be long.
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ').slice(0, 1024);

/**
 * Copies a message to `gitops.dlq.<durable>` with its original data and headers plus why it was
 * given up on, then terminates it so JetStream stops redelivering. The copy is stored once even if
 * the `term` is lost and the message comes back (its id is the durable and stream sequence).
 */
export async function deadLetter(
  js: JetStreamClient,
  msg: JsMsg,
  durable: string,
  reason: DeadLetterReason,
  err: unknown,
): Promise<void> {
  const hdrs = headers();
  for (const [key, values] of msg.headers ?? []) {
    // JetStream's own headers (Nats-Msg-Id…) describe the original publish, not this one.
    if (key.toLowerCase().startsWith('nats-')) continue;
    for (const value of values) hdrs.append(key, value);
  }
  hdrs.set(DeadLetterHeaders.reason, reason);
  hdrs.set(DeadLetterHeaders.error, oneLine(describeError(err)));
  hdrs.set(DeadLetterHeaders.subject, msg.subject);
  hdrs.set(DeadLetterHeaders.sequence, String(msg.seq));
  hdrs.set(DeadLetterHeaders.deliveries, String(msg.info.deliveryCount));
  hdrs.set(DeadLetterHeaders.consumer, durable);
  await js.publish(deadLetterSubject(durable), msg.data, { msgID: `${durable}.${msg.seq}`, headers: hdrs });
  msg.term();
}
