import { STREAM_NAME, SUBJECT_PREFIX, decodeEvent } from '@gitops/contracts';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface TailOptions {
  servers: string[];
  subject: string;
  fromStart: boolean;
  count?: number;
  /** Stop after the first event whose `<stage>.<event>` is one of these (e.g. image.pushed, build.failed). */
  until?: string[];
  timeoutMs?: number;
  json: boolean;
}

/** An `until` event with this ending means the pipeline failed: tail then exits 1. */
const FAILED = /\.failed$/;

/** One readable line for an event: time, subject, pipeline, and the fields a person looks for. */
export function formatEvent(subject: string, raw: Uint8Array): string {
  try {
    const { event } = decodeEvent(raw);
    const data = event.data as Record<string, unknown>;
    const extra = ['branch', 'commit', 'digest', 'configCommit', 'health', 'reason']
      .filter((k) => data[k] !== undefined)
      .map((k) => `${k}=${String(data[k])}`);
    return `${event.time} ${subject} ${event.subject} ${extra.join(' ')}`.trim();
  } catch (err) {
    return `${subject} (invalid event: ${(err as Error).message})`;
  }
}

/**
 * `gitops tail [subject]`: follows events from the GITOPS stream with an ordered (ephemeral)
 * consumer, so it needs no durable state and misses nothing that is stored. Exits after `count`
 * events or an `until` event (0, or 1 for a `*.failed` one), or when `timeoutMs` passes first (1).
 */
export async function tail(options: TailOptions): Promise<number> {
  const nc = await connect({ servers: options.servers, name: 'gitops-cli' });
  const subject = options.subject.startsWith(SUBJECT_PREFIX)
    ? options.subject
    : `${SUBJECT_PREFIX}.${options.subject}`;
  const consumer = await jetstream(nc).consumers.get(STREAM_NAME, {
    filter_subjects: subject,
    deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
  });
  const messages = await consumer.consume();
  let seen = 0;
  let stoppedBy: string | undefined;
  const timer = options.timeoutMs ? setTimeout(() => messages.stop(), options.timeoutMs) : undefined;
  for await (const message of messages) {
    console.log(
      options.json ? Buffer.from(message.data).toString('utf8') : formatEvent(message.subject, message.data),
    );
    seen++;
    const name = message.subject.split('.').slice(3).join('.');
    if (options.until?.includes(name)) stoppedBy = name;
    if (stoppedBy || (options.count && seen >= options.count)) break;
  }
  clearTimeout(timer);
  await nc.close();
  if (options.until) return stoppedBy && !FAILED.test(stoppedBy) ? 0 : 1;
  return options.count && seen < options.count ? 1 : 0;
}
