import { createHash } from 'node:crypto';
import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { busUnavailable } from './errors.js';
import { LEDGER_PREFIX, LEDGER_STREAM } from './topology.js';

// Subject tokens the ledger accepts as they are; anything else is hashed into one token.
const SAFE_KEY = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

const subjectOf = (key: string) =>
  `${LEDGER_PREFIX}.${SAFE_KEY.test(key) ? key : `sha256-${createHash('sha256').update(key).digest('hex')}`}`;

/**
 * A small durable key-value store on JetStream (the `GITOPS_LEDGER` stream keeps the last message of
 * each subject for the duplicate window): it outlives Redis, so what it records survives a loss of
 * the queues' data.
 */
export class Ledger {
  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly timeoutMs: number,
  ) {}

  async get(key: string): Promise<string | undefined> {
    try {
      const stored = await this.jsm.direct.getMessage(LEDGER_STREAM, { last_by_subj: subjectOf(key) });
      return stored ? stored.string() : undefined;
    } catch (err) {
      throw busUnavailable(`ledger entry ${key} could not be read`, err);
    }
  }

  async put(key: string, value: string): Promise<void> {
    try {
      await this.js.publish(subjectOf(key), value, { timeout: this.timeoutMs });
    } catch (err) {
      throw busUnavailable(`ledger entry ${key} was not stored`, err);
    }
  }
}
