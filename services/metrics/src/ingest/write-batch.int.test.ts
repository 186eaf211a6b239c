import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyLedger } from '../audit/ledger.js';
import { hmacSigner } from '../audit/signing.js';
import { getPipeline } from '../queries/pipelines.js';
import { type TestDatabase, stores } from '../test/databases.js';
import { at, deliveredPipeline, minutes, pipeline, plus } from '../test/history.js';
import { writeBatch } from './write-batch.js';

describe.each(stores)('writeBatch on $kind', ({ open }) => {
  let store: TestDatabase;
  beforeAll(async () => {
    store = await open();
  });
  afterAll(() => store?.dispose());

  const count = async (table: string, where = 'true', params: unknown[] = []) =>
    (
      await store.db.query<{ n: number }>(`select count(*)::int as n from ${table} where ${where}`, params)
    )[0]!.n;

  it('stores a replayed event once, in another batch or the same one', async () => {
    const history = deliveredPipeline(
      { app: 'replay', id: 'replay-1', commit: 1, committed: at('2026-01-01T00:00:00Z') },
      'prod',
      at('2026-01-01T01:00:00Z'),
    );
    const first = await writeBatch(store.db, history);
    const again = await writeBatch(store.db, [...history, history[0]!]);
    expect(first.stored).toHaveLength(6);
    expect(again.stored).toHaveLength(0);
    expect(await count('events', 'app = $1', ['replay'])).toBe(6);
    expect(await count('deployments', 'app = $1', ['replay'])).toBe(1);
    expect(await count('audit', 'app = $1', ['replay'])).toBe(5);
  });

  it('stores an event with a NUL character (PostgreSQL refuses them) as U+FFFD, its ledger record too', async () => {
    const received = pipeline({
      app: 'nul',
      id: 'nul-1',
      commit: 5,
      committed: at('2026-01-04T00:00:00Z'),
    }).received(at('2026-01-04T00:01:00Z'));
    const event = received.event as { data: { headCommit: { message: string }; pusher: { email: string } } };
    event.data.headCommit.message = 'fix\u0000';
    event.data.pusher.email = 'ada\u0000@example.com';
    expect((await writeBatch(store.db, [received])).stored).toHaveLength(1);
    const [row] = await store.db.query<{ message: string; actor: string }>(
      `select e.envelope#>>'{data,headCommit,message}' as message, a.actor from events e join audit a on a.event_id = e.id where e.id = $1`,
      [received.event.id],
    );
    expect(row).toEqual({ message: 'fix\uFFFD', actor: 'ada\uFFFD@example.com' });
    expect(await verifyLedger(store.db, hmacSigner(randomBytes(32)))).toMatchObject({ ok: true });
  });

  it('records each stage with its start, end and duration, environments and approvals included', async () => {
    const p = pipeline({
      app: 'timeline',
      id: 'timeline-1',
      commit: 2,
      committed: at('2026-01-02T00:00:00Z'),
    });
    const t0 = at('2026-01-02T00:10:00Z');
    await writeBatch(store.db, [
      p.received(t0),
      p.buildStarted(plus(t0, minutes(1))),
      p.buildSucceeded(plus(t0, minutes(4)), minutes(3), { coverage: 81 }),
    ]);
    await writeBatch(store.db, [
      p.imagePushed(plus(t0, minutes(6))),
      p.configUpdated(plus(t0, minutes(7)), 'staging'),
      p.deployed(plus(t0, minutes(10)), 'staging'),
      p.promotion('requested', plus(t0, minutes(11)), 'prod'),
      p.promotion('approved', plus(t0, minutes(41)), 'prod', 'bob'),
    ]);
    const found = await getPipeline(store.db, 'timeline-1');
    expect(found).toMatchObject({
      app: 'timeline',
      status: 'running',
      stage: 'promotion:prod',
      commitTime: '2026-01-02T00:00:00.000Z',
    });
    const stages = Object.fromEntries(
      found!.stages.map((s) => [`${s.stage}${s.environment ? `:${s.environment}` : ''}`, s]),
    );
    expect(stages.source).toMatchObject({
      startedAt: '2026-01-02T00:00:00.000Z',
      endedAt: '2026-01-02T00:10:00.000Z',
      durationMs: minutes(10),
    });
    expect(stages.build).toMatchObject({
      startedAt: '2026-01-02T00:11:00.000Z',
      endedAt: '2026-01-02T00:14:00.000Z',
      durationMs: minutes(3),
      outcome: 'succeeded',
    });
    expect(stages.image).toMatchObject({ durationMs: minutes(1), outcome: 'succeeded' });
    expect(stages['deploy:staging']).toMatchObject({ durationMs: minutes(2), outcome: 'succeeded' });
    expect(stages['promotion:prod']).toMatchObject({
      durationMs: minutes(30),
      outcome: 'approved',
      detail: { by: 'bob', from: 'staging' },
    });
  });

  it('stores the same rows whether events come in one batch or one by one', async () => {
    const one = deliveredPipeline(
      { app: 'split-a', id: 'split-1', commit: 3, committed: at('2026-01-03T00:00:00Z') },
      'prod',
      at('2026-01-03T01:00:00Z'),
    );
    const many = deliveredPipeline(
      { app: 'split-a', id: 'split-2', commit: 3, committed: at('2026-01-03T00:00:00Z') },
      'prod',
      at('2026-01-03T01:00:00Z'),
    );
    await writeBatch(store.db, one);
    for (const event of [...many].reverse()) await writeBatch(store.db, [event]);
    const strip = (p: Awaited<ReturnType<typeof getPipeline>>) => ({ ...p, id: undefined });
    expect(strip(await getPipeline(store.db, 'split-2'))).toEqual(
      strip(await getPipeline(store.db, 'split-1')),
    );
  });
});
