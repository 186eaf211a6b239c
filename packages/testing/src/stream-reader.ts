import { setTimeout as sleep } from 'node:timers/promises';
import { natsConnectOptions } from '@gitops/config';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface StoredMessage {
  subject: string;
  seq: number;
  headers: Record<string, string>;
  json: Record<string, unknown>;
}

async function readOnce(natsUrl: string, filter: string, stream: string): Promise<StoredMessage[]> {
  const nc = await connect(natsConnectOptions({ NATS_URL: [natsUrl] }));
  try {
    const consumer = await jetstream(nc).consumers.get(stream, {
      filter_subjects: filter,
      deliver_policy: DeliverPolicy.All,
    });
    // Exactly what is stored now: no waiting for an empty fetch to expire.
    const { num_pending: stored } = await consumer.info();
    const out: StoredMessage[] = [];
    for (let before = -1; out.length < stored && out.length > before; ) {
      before = out.length;
      for await (const m of await consumer.fetch({ max_messages: stored - out.length, expires: 2000 })) {
        const headers: Record<string, string> = {};
        for (const [key, values] of m.headers ?? []) headers[key] = values.join(',');
        out.push({
          subject: m.subject,
          seq: m.seq,
          headers,
          json: JSON.parse(Buffer.from(m.data).toString('utf8')),
        });
      }
    }
    return out;
  } catch (err) {
    if (/stream not found/i.test((err as Error).message)) return [];
    throw err;
  } finally {
    await nc.close();
  }
}

/**
 * Every message stored in `stream` under `filter`, read back over a real connection (as the user
 * in `natsUrl`, when it names one). With
 * `atLeast`, polls until that many are stored, and with `until` until it holds of what is stored (or
 * `timeoutMs` passes) — for asserting on events that another process publishes.
 */
export async function readStream(
  natsUrl: string,
  filter = 'gitops.v1.>',
  options: {
    stream?: string;
    atLeast?: number;
    timeoutMs?: number;
    until?: (messages: StoredMessage[]) => boolean;
  } = {},
): Promise<StoredMessage[]> {
  const deadline = Date.now() + (options.timeoutMs ?? 10_000);
  for (;;) {
    const messages = await readOnce(natsUrl, filter, options.stream ?? 'GITOPS');
    const done = messages.length >= (options.atLeast ?? 0) && (options.until?.(messages) ?? true);
    if (done || Date.now() > deadline) return messages;
    await sleep(100);
  }
}
