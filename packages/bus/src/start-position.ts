import { DeliverPolicy, type JetStreamManager } from '@nats-io/jetstream';

/** Whether the message at `seq` was stored before `cutoff`; a missing (expired) message counts as older. */
async function storedBefore(
  jsm: JetStreamManager,
  stream: string,
  seq: number,
  cutoff: number,
): Promise<boolean> {
  const message = await jsm.streams.getMessage(stream, { seq }).catch(() => null);
  return !message || message.time.getTime() < cutoff;
}

/**
 * Where a new consumer starts: the first message stored at or after `cutoff`, found by binary
 * search over the stream's sequences (a few requests, once, at creation). A start *sequence*
 * rather than a start time, because nats-server 2.9 refuses any later update of a consumer created
 * with a start time ("start time can not be updated"), which would stop a service from starting
 * after a change of its ack wait or max deliveries.
 */
export async function startPosition(jsm: JetStreamManager, stream: string, cutoff: Date) {
  const { first_seq: first, last_seq: last } = (await jsm.streams.info(stream)).state;
  let low = Math.max(first, 1);
  let high = last + 1;
  while (low < high) {
    const middle = Math.floor((low + high) / 2);
    if (await storedBefore(jsm, stream, middle, cutoff.getTime())) low = middle + 1;
    else high = middle;
  }
  return { deliver_policy: DeliverPolicy.StartSequence, opt_start_seq: low };
}
