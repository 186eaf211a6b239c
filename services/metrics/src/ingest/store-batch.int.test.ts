import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../audit/ledger.js';
import { hmacSigner } from '../audit/signing.js';
import { type TestDatabase, stores } from '../test/databases.js';
import { at, deliveredPipeline, pipeline } from '../test/history.js';
import { storeBatch } from './store-batch.js';
import type { BatchResult } from './write-batch.js';

describe.each(stores)('storeBatch on $kind', ({ open }) => {
  let store: TestDatabase;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.dispose());

  // Year 0 is a valid RFC 3339 time that PostgreSQL's timestamptz refuses (SQLSTATE 22008).
  const refusedEvent = () => {
    const received = pipeline({
      app: 'poison',
      id: 'poison-1',
      commit: 9,
      committed: at('2026-02-01T00:00:00Z'),
    }).received(at('2026-02-01T00:01:00Z'));
    (received.event.data as { headCommit: { timestamp: string } }).headCommit.timestamp =
      '0000-01-01T00:00:00Z';
    return received;
  };

  it('keeps the rest of a batch the store refuses, and answers the refused event with its error', async () => {
    const before = deliveredPipeline(
      { app: 'poison', id: 'poison-0', commit: 8, committed: at('2026-02-01T00:00:00Z') },
      'prod',
      at('2026-02-01T01:00:00Z'),
    );
    const after = deliveredPipeline(
      { app: 'poison', id: 'poison-2', commit: 10, committed: at('2026-02-01T00:00:00Z') },
      'prod',
      at('2026-02-01T02:00:00Z'),
    );
    const poison = refusedEvent();
    const results: BatchResult[] = [];
    const refused = await storeBatch(store.db, [...before, poison, ...after], (r) => results.push(r));
    expect(refused).toHaveLength(1);
    expect(refused[0]).toMatchObject({ index: before.length, error: { code: '22008' } });
    expect(results.flatMap((r) => r.stored).map((e) => e.event.id)).toEqual(
      [...before, ...after].map((e) => e.event.id),
    );
    const [{ n }] = (await store.db.query<{ n: number }>(
      `select count(*)::int as n from events where app = 'poison'`,
    )) as [{ n: number }];
    expect(n).toBe(before.length + after.length);
    expect(await verifyLedger(store.db, hmacSigner(randomBytes(32)))).toMatchObject({ ok: true });
    // Redelivered (its ack lost): the stored events are skipped, the refused one refused again.
    const again = await storeBatch(store.db, [...before, poison], (r) => results.push(r));
    expect(again.map((r) => r.index)).toEqual([before.length]);
    expect(results.at(-1)!.stored).toHaveLength(0);
  });

  it('throws on a failure that is not about the data, so the whole batch is redelivered', async () => {
    const broken = { ...store.db, transaction: () => Promise.reject(new Error('connection terminated')) };
    await expect(storeBatch(broken, [refusedEvent()], () => undefined)).rejects.toThrow(
      'connection terminated',
    );
  });
});
