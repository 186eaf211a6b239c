import { STREAM_NAME } from '@gitops/contracts';
import { type StoredMsg, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface Inspector {
  /** Messages stored under `subject` (no wildcards) in the event stream. */
  count(subject: string): Promise<number>;
  /** The last message stored under `subject`. */
  last(subject: string): Promise<StoredMsg | null>;
  close(): Promise<void>;
}

/** A connection of the test's own, to look at what the code under test published. */
export async function inspect(url: string): Promise<Inspector> {
  const nc = await connect({ servers: url });
  const jsm = await jetstreamManager(nc, { timeout: 2000 });
  return {
    count: async (subject) =>
      (await jsm.streams.info(STREAM_NAME, { subjects_filter: subject })).state.subjects?.[subject] ?? 0,
    last: (subject) => jsm.streams.getMessage(STREAM_NAME, { last_by_subj: subject }),
    close: () => nc.close(),
  };
}
