import type { NatsConnectOptions } from '@gitops/config';
import { STREAM_NAME, SUBJECT_PREFIX } from '@gitops/contracts';
import { DeliverPolicy, jetstream } from '@nats-io/jetstream';
import { connectNats } from './connect.js';
import { pipelineOf } from './format-event.js';

export interface TailOptions {
  /** The servers and credentials (`natsOptionsFrom`). */
  nats: NatsConnectOptions;
  /** A subject under `gitops.v1.` (`hello.>`, `*.build.failed`), or a full one. */
  subject: string;
  fromStart: boolean;
  count?: number;
  /** Stop after the first event whose `<stage>.<event>` is one of these (e.g. image.pushed, build.failed). */
  until?: string[];
  timeoutMs?: number;
  /** Only the events of this pipeline: subjects do not carry it, so it is filtered here. */
  pipelineId?: string;
  print(subject: string, data: Uint8Array): void;
}

/** How a tail ended: events printed, the `until` event it stopped at, or its timeout. */
export interface TailOutcome {
  seen: number;
  stoppedBy?: string;
  timedOut: boolean;
}

/** An `until` event with this ending means the pipeline failed. */
const FAILED = /\.failed$/;

/** 0 after `count` events or a good `until` event; 1 for a `*.failed` one, or a timeout before either. */
export function exitCodeOf(outcome: TailOutcome, options: Pick<TailOptions, 'count' | 'until'>): number {
  if (options.until) return outcome.stoppedBy && !FAILED.test(outcome.stoppedBy) ? 0 : 1;
  return options.count && outcome.seen < options.count ? 1 : 0;
}

/**
 * Follows events from the GITOPS stream with an ordered (ephemeral) consumer, so it needs no
 * durable state and misses nothing that is stored. Ends after `count` events, at an `until`
 * event, or when `timeoutMs` passes first.
 */
export async function tailEvents(options: TailOptions): Promise<TailOutcome> {
  const nc = await connectNats(options.nats);
  try {
    const subject = options.subject.startsWith(SUBJECT_PREFIX)
      ? options.subject
      : `${SUBJECT_PREFIX}.${options.subject}`;
    const consumer = await jetstream(nc)
      .consumers.get(STREAM_NAME, {
        filter_subjects: subject,
        deliver_policy: options.fromStart ? DeliverPolicy.All : DeliverPolicy.New,
      })
      .catch((err: Error) => {
        throw new Error(`cannot read the ${STREAM_NAME} stream: ${err.message}`);
      });
    const messages = await consumer.consume();
    let seen = 0;
    let stoppedBy: string | undefined;
    let timedOut = false;
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          messages.stop();
        }, options.timeoutMs)
      : undefined;
    for await (const message of messages) {
      if (options.pipelineId && pipelineOf(message.data) !== options.pipelineId) continue;
      options.print(message.subject, message.data);
      seen++;
      const name = message.subject.split('.').slice(3).join('.');
      if (options.until?.includes(name)) stoppedBy = name;
      if (stoppedBy || (options.count && seen >= options.count)) break;
    }
    clearTimeout(timer);
    return { seen, timedOut, ...(stoppedBy ? { stoppedBy } : {}) };
  } finally {
    await nc.close();
  }
}
