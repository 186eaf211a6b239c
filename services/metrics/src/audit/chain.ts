import { createHash } from 'node:crypto';
import type { AuditEntry } from './records.js';

/** A chained ledger record, as stored. */
export interface AuditRecord extends AuditEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

/** JSON with object keys sorted at every depth: the same record always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

/** sha256 over the previous record's hash and this record's canonical form (its own hash excluded). */
export function recordHash(prevHash: string, record: AuditEntry & { seq: number }): string {
  const { seq, at, app, pipelineId, kind, actor, eventId, details } = record;
  const canonical = canonicalJson({ seq, at, app, pipelineId, kind, actor, eventId, details });
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/** Chains entries after the record `head` (seq 0 and '' for an empty ledger). */
export function chain(head: { seq: number; hash: string }, entries: AuditEntry[]): AuditRecord[] {
  let { seq, hash } = head;
  return entries.map((entry) => {
    const record = { ...entry, seq: seq + 1 };
    const prevHash = hash;
    hash = recordHash(prevHash, record);
    seq = record.seq;
    return { ...record, prevHash, hash };
  });
}

export type ChainBreak = { seq: number; problem: string };

/**
 * Checks records following `expected` (the checkpoint or the start): each must have the next seq
 * (a gap is a deleted record), carry the previous hash (a reordered or inserted record breaks it)
 * and hash to what it says (a modified record). Returns the first break and the new expectation.
 */
export function verifyRecords(
  expected: { seq: number; hash: string },
  records: AuditRecord[],
): { break?: ChainBreak; next: { seq: number; hash: string } } {
  let next = expected;
  for (const record of records) {
    if (record.seq !== next.seq + 1) {
      return {
        break: {
          seq: record.seq,
          problem: `expected record ${next.seq + 1} next, found ${record.seq}: records are missing`,
        },
        next,
      };
    }
    if (record.prevHash !== next.hash) {
      return {
        break: { seq: record.seq, problem: 'its previous hash does not match the record before it' },
        next,
      };
    }
    if (recordHash(record.prevHash, record) !== record.hash) {
      return {
        break: { seq: record.seq, problem: 'its content does not match its hash: it was modified' },
        next,
      };
    }
    next = { seq: record.seq, hash: record.hash };
  }
  return { next };
}
