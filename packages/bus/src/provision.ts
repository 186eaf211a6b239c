import type { Logger } from '@gitops/telemetry';
import {
  type ConsumerConfig,
  JetStreamApiCodes,
  JetStreamApiError,
  type JetStreamManager,
  type StreamConfig,
} from '@nats-io/jetstream';
import { startPosition } from './start-position.js';
import type { StreamSpec } from './topology.js';

const isNotFound = (err: unknown, code: number) => err instanceof JetStreamApiError && err.code === code;

/** The fields of `spec` whose live value differs; subjects compare as a set. */
export function changedFields<T extends object>(live: Partial<T>, spec: T): string[] {
  return Object.entries(spec)
    .filter(([key, value]) => {
      const current = live[key as keyof T] as unknown;
      if (Array.isArray(value)) return [...(current as unknown[])].sort().join() !== [...value].sort().join();
      return current !== value;
    })
    .map(([key]) => key);
}

/** The stream's live config, or undefined when there is none. */
async function liveConfig(jsm: JetStreamManager, name: string): Promise<StreamConfig | undefined> {
  try {
    return (await jsm.streams.info(name)).config;
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.StreamNotFound)) throw err;
    return undefined;
  }
}

/**
 * Creates the stream, or updates it when its live config differs from the spec. Idempotent, so
 * every replica of every service can call it at start: a create that loses the race to another
 * replica's (JetStream answers that the subjects overlap) goes on as an update.
 */
export async function ensureStream(jsm: JetStreamManager, spec: StreamSpec, logger: Logger): Promise<void> {
  let live = await liveConfig(jsm, spec.name);
  if (!live) {
    try {
      await jsm.streams.add(spec);
      logger.info({ stream: spec.name }, 'stream created');
      return;
    } catch (err) {
      live = await liveConfig(jsm, spec.name);
      if (!live) throw err;
    }
  }
  const changed = changedFields(live, spec);
  if (changed.length === 0) return;
  await jsm.streams.update(spec.name, spec);
  logger.info({ stream: spec.name, changed }, 'stream updated');
}

/** The part of a durable pull consumer's config the platform decides. */
export type ConsumerSpec = Pick<
  ConsumerConfig,
  'durable_name' | 'filter_subject' | 'ack_policy' | 'ack_wait' | 'max_deliver'
>;

/** Adds the consumer; false when a concurrent replica created it first (with its own start position). */
async function createConsumer(
  jsm: JetStreamManager,
  stream: string,
  spec: ConsumerSpec,
  options: { startLookbackMs: number; logger: Logger },
): Promise<boolean> {
  const start = await startPosition(jsm, stream, new Date(Date.now() - options.startLookbackMs));
  try {
    await jsm.consumers.add(stream, { ...spec, ...start });
  } catch (err) {
    const exists = await jsm.consumers.info(stream, spec.durable_name!).then(
      () => true,
      () => false,
    );
    if (!exists) throw err;
    return false;
  }
  options.logger.info({ filter: spec.filter_subject, ...start }, 'consumer created');
  return true;
}

/**
 * Creates the durable consumer, starting `startLookbackMs` back, or updates the settings that may
 * change (ack wait, max deliver, and the filter, which JetStream 2.9 refuses to change: that error
 * surfaces at start).
 *
 `options.logger` is bound to the consumer already.
 */
export async function ensureConsumer(
  jsm: JetStreamManager,
  stream: string,
  spec: ConsumerSpec,
  options: { startLookbackMs: number; logger: Logger },
): Promise<void> {
  const { logger } = options;
  let live: ConsumerConfig;
  try {
    live = (await jsm.consumers.info(stream, spec.durable_name!)).config;
  } catch (err) {
    if (!isNotFound(err, JetStreamApiCodes.ConsumerNotFound)) throw err;
    const created = await createConsumer(jsm, stream, spec, options);
    if (created) return;
    // Another replica created it between our info and add: take what it made.
    live = (await jsm.consumers.info(stream, spec.durable_name!)).config;
  }
  // Where a consumer starts is fixed at creation; only these settings follow the code.
  const { ack_wait, max_deliver, filter_subject } = spec;
  const changed = changedFields(live, { ack_wait, max_deliver, filter_subject });
  if (changed.length === 0) return;
  await jsm.consumers.update(stream, spec.durable_name!, { ack_wait, max_deliver, filter_subject });
  logger.info({ changed }, 'consumer updated');
}
