import { DEAD_LETTER_PREFIX, STREAM_NAME, SUBJECT_PREFIX } from '@gitops/contracts';
import { DiscardPolicy, RetentionPolicy, StorageType, type StreamConfig } from '@nats-io/jetstream';
import { nanos } from '@nats-io/transport-node';
import { invalidTopology } from './errors.js';

export const DEAD_LETTER_STREAM = `${STREAM_NAME}_DLQ`;
/** What was published and which jobs finished, one message per key (docs/architecture.md). */
export const LEDGER_STREAM = `${STREAM_NAME}_LEDGER`;
export const LEDGER_PREFIX = 'gitops.ledger';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TopologyOptions {
  /** How long events are kept (default 30 days). */
  maxAgeMs?: number;
  /**
   * How long JetStream remembers a Nats-Msg-Id (default 72 hours). The webhook receiver relies on it
   * to drop redelivered webhooks, and GitHub redelivers up to three days later. At most `maxAgeMs`.
   */
  duplicateWindowMs?: number;
  /** Stream replicas: 1 on one server, 3 in a cluster. */
  replicas?: number;
  storage?: 'file' | 'memory';
}

/** The part of a JetStream stream config the platform decides; provisioning compares exactly these. */
export type StreamSpec = Pick<
  StreamConfig,
  'name' | 'subjects' | 'storage' | 'retention' | 'discard' | 'max_age' | 'duplicate_window' | 'num_replicas'
> &
  Partial<Pick<StreamConfig, 'max_msgs_per_subject' | 'allow_direct'>>;

function validate(maxAgeMs: number, duplicateWindowMs: number, replicas: number): void {
  if (!Number.isInteger(maxAgeMs) || maxAgeMs <= 0) throw invalidTopology(`maxAgeMs ${maxAgeMs} is not > 0`);
  if (!Number.isInteger(duplicateWindowMs) || duplicateWindowMs <= 0) {
    throw invalidTopology(`duplicateWindowMs ${duplicateWindowMs} is not > 0`);
  }
  // JetStream refuses a window longer than the max age: an id cannot outlive its message.
  if (duplicateWindowMs > maxAgeMs) {
    throw invalidTopology(`duplicateWindowMs ${duplicateWindowMs} exceeds maxAgeMs ${maxAgeMs}`);
  }
  if (!Number.isInteger(replicas) || replicas < 1 || replicas > 5) {
    throw invalidTopology(`replicas ${replicas} is not between 1 and 5`);
  }
}

/**
 * The platform's streams as plain data: `GITOPS` for the events, `GITOPS_DLQ` for what consumers
 * gave up on, both deduplicating by Nats-Msg-Id over the same window, and `GITOPS_LEDGER`, a
 * key-value store (the last message per subject) remembering for that window which events were
 * published and which stage jobs finished.
 */
export function streamTopology(options: TopologyOptions = {}): StreamSpec[] {
  const maxAgeMs = options.maxAgeMs ?? 30 * DAY_MS;
  const duplicateWindowMs = options.duplicateWindowMs ?? 3 * DAY_MS;
  const replicas = options.replicas ?? 1;
  validate(maxAgeMs, duplicateWindowMs, replicas);
  const common = {
    storage: options.storage === 'memory' ? StorageType.Memory : StorageType.File,
    retention: RetentionPolicy.Limits,
    discard: DiscardPolicy.Old,
    max_age: nanos(maxAgeMs),
    duplicate_window: nanos(duplicateWindowMs),
    num_replicas: replicas,
  };
  return [
    { name: STREAM_NAME, subjects: [`${SUBJECT_PREFIX}.>`], ...common },
    { name: DEAD_LETTER_STREAM, subjects: [`${DEAD_LETTER_PREFIX}.>`], ...common },
    {
      name: LEDGER_STREAM,
      subjects: [`${LEDGER_PREFIX}.>`],
      ...common,
      max_age: nanos(duplicateWindowMs),
      max_msgs_per_subject: 1,
      allow_direct: true,
    },
  ];
}
