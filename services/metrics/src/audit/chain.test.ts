import { describe, expect, it } from 'vitest';
import { canonicalJson, chain, recordHash, verifyRecords } from './chain.js';
import type { AuditEntry } from './records.js';

const entry = (n: number): AuditEntry => ({
  at: `2026-01-0${n}T00:00:00.000Z`,
  app: 'a',
  pipelineId: `p${n}`,
  kind: 'push',
  actor: 'ada@example.com',
  eventId: `p${n}.source.received`,
  details: { commit: String(n), nested: { b: 1, a: [2, { d: 3, c: 4 }] } },
});

describe('the ledger chain', () => {
  it('writes canonical JSON with keys sorted at every depth and undefined left out', () => {
    expect(canonicalJson({ b: 1, a: { d: [{ f: 1, e: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[{"e":2,"f":1}]},"b":1}',
    );
  });

  it('hashes a record the same whatever the order of its keys', () => {
    const record = { ...entry(1), seq: 1 };
    const reordered = {
      seq: 1,
      ...entry(1),
      details: { nested: { a: [2, { c: 4, d: 3 }], b: 1 }, commit: '1' },
    };
    expect(recordHash('', reordered)).toBe(recordHash('', record));
    expect(recordHash('x', record)).not.toBe(recordHash('', record));
  });

  it('chains entries after a head and verifies them from it', () => {
    const records = chain({ seq: 4, hash: 'h4' }, [entry(1), entry(2)]);
    expect(records.map((r) => [r.seq, r.prevHash === 'h4'])).toEqual([
      [5, true],
      [6, false],
    ]);
    expect(verifyRecords({ seq: 4, hash: 'h4' }, records)).toEqual({
      next: { seq: 6, hash: records[1]!.hash },
    });
    expect(verifyRecords({ seq: 4, hash: 'other' }, records).break).toMatchObject({ seq: 5 });
  });
});
