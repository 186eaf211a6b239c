import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeBatch } from '../ingest/write-batch.js';
import { type TestDatabase, stores } from '../test/databases.js';
import { at, deliveredPipeline } from '../test/history.js';
import { pruneLedger, verifyLedger } from './ledger.js';
import { hmacSigner } from './signing.js';

const signer = hmacSigner(randomBytes(32));

/** Three pipelines a month apart: 15 ledger records (push, build, image, config, deploy each). */
const history = () =>
  [1, 2, 3].flatMap((month) =>
    deliveredPipeline(
      { app: 'ledger', id: `ledger-${month}`, commit: month, committed: at(`2020-0${month}-01T00:00:00Z`) },
      'prod',
      at(`2020-0${month}-01T02:00:00Z`),
    ),
  );

describe.each(stores)('the audit ledger on $kind', ({ open }) => {
  let store: TestDatabase;
  beforeEach(async () => {
    store = await open();
    await writeBatch(store.db, history().slice(0, 7));
    await writeBatch(store.db, history().slice(7));
  });
  afterEach(() => store?.dispose());
  const sql = (text: string) => store.db.query(text);

  it('verifies an untouched chain', async () => {
    expect(await verifyLedger(store.db, signer)).toEqual({ ok: true, checked: 15 });
  });

  it('names a modified record', async () => {
    await sql(`update audit set details = jsonb_set(details, '{digest}', '"sha256:evil"') where seq = 7`);
    expect(await verifyLedger(store.db, signer)).toMatchObject({
      ok: false,
      firstBroken: { seq: 7, problem: expect.stringContaining('modified') },
    });
  });

  it('names the record after a deleted one', async () => {
    await sql('delete from audit where seq = 4');
    expect(await verifyLedger(store.db, signer)).toMatchObject({
      ok: false,
      firstBroken: { seq: 5, problem: expect.stringContaining('missing') },
    });
  });

  it('notices a deleted last record', async () => {
    await sql('delete from audit where seq = 15');
    expect(await verifyLedger(store.db, signer)).toMatchObject({ ok: false, firstBroken: { seq: 15 } });
  });

  it('names the first of two reordered records', async () => {
    await sql('update audit set seq = -1 where seq = 9');
    await sql('update audit set seq = 9 where seq = 10');
    await sql('update audit set seq = 10 where seq = -1');
    expect(await verifyLedger(store.db, signer)).toMatchObject({ ok: false, firstBroken: { seq: 9 } });
  });

  it('prunes expired records behind a signed checkpoint and still verifies', async () => {
    const pruned = await pruneLedger(store.db, signer, at('2020-02-15T00:00:00Z'));
    expect(pruned).toEqual({ pruned: 10, throughSeq: 10 });
    expect(await pruneLedger(store.db, signer, at('2020-02-15T00:00:00Z'))).toEqual({ pruned: 0 });
    expect(await verifyLedger(store.db, signer)).toMatchObject({
      ok: true,
      checked: 5,
      checkpoint: { throughSeq: 10 },
    });
    await writeBatch(
      store.db,
      deliveredPipeline(
        { app: 'ledger', id: 'ledger-4', commit: 4, committed: at('2020-04-01T00:00:00Z') },
        'prod',
        at('2020-04-01T02:00:00Z'),
      ),
    );
    expect(await verifyLedger(store.db, signer)).toMatchObject({ ok: true, checked: 10 });
  });

  it('refuses a checkpoint signed with another key', async () => {
    await pruneLedger(store.db, hmacSigner(randomBytes(32)), at('2020-02-15T00:00:00Z'));
    expect(await verifyLedger(store.db, signer)).toMatchObject({
      ok: false,
      firstBroken: { seq: 10, problem: expect.stringContaining('signature') },
    });
  });

  it('never prunes a prefix that does not verify', async () => {
    await sql(`update audit set actor = 'mallory' where seq = 1`);
    expect(await pruneLedger(store.db, signer, at('2020-02-15T00:00:00Z'))).toMatchObject({
      pruned: 0,
      refused: { seq: 1 },
    });
  });
});
