import { natsConnectOptions } from '@gitops/config';
import { STREAM_NAME } from '@gitops/contracts';
import { type JetStreamManager, type StoredMsg, jetstreamManager } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';

export interface Inspector {
  jsm: JetStreamManager;
  /** Messages stored under `subject` (no wildcards) in `stream`. */
  count(subject: string, stream?: string): Promise<number>;
  /** The last message stored under `subject`, data and headers as they are; throws when there is none. */
  last(subject: string, stream?: string): Promise<StoredMsg>;
  close(): Promise<void>;
}

/** A connection of the test's own (as the user in `url`, when it names one), to look at what the code under test stored. */
export async function inspect(url: string): Promise<Inspector> {
  const servers = natsConnectOptions({ NATS_URL: [url] });
  const nc = await connect({ ...servers, maxReconnectAttempts: -1, reconnectTimeWait: 100 });
  const jsm = await jetstreamManager(nc, { timeout: 2000 });
  return {
    jsm,
    count: async (subject, stream = STREAM_NAME) =>
      (await jsm.streams.info(stream, { subjects_filter: subject })).state.subjects?.[subject] ?? 0,
    last: async (subject, stream = STREAM_NAME) => {
      const msg = await jsm.streams.getMessage(stream, { last_by_subj: subject });
      if (!msg) throw new Error(`nothing stored on ${subject}`);
      return msg;
    },
    close: () => nc.close(),
  };
}
