import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeBatch } from '../ingest/write-batch.js';
import { type TestDatabase, stores } from '../test/databases.js';
import { at, deliveredPipeline, minutes, pipeline } from '../test/history.js';
import { buildMetrics } from './builds.js';
import { doraMetrics } from './dora.js';

const range = { from: at('2026-01-01T00:00:00Z'), to: at('2026-01-11T00:00:00Z') };

/** One app's production over ten days: two good deploys, one failure, one rolled back, one rollback. */
function doraHistory() {
  const app = 'shop';
  const p1 = { app, id: 'shop-1', commit: 11, committed: at('2026-01-02T00:00:00Z') };
  const p2 = pipeline({ app, id: 'shop-2', commit: 12, committed: at('2026-01-03T00:00:00Z') });
  const p3 = { app, id: 'shop-3', commit: 13, committed: at('2026-01-03T01:00:00Z') };
  const p4 = { app, id: 'shop-4', commit: 14, committed: at('2026-01-05T00:00:00Z') };
  const rollback = pipeline({
    app,
    id: 'shop-4-rollback',
    commit: 15,
    committed: at('2026-01-05T11:00:00Z'),
  });
  return [
    ...deliveredPipeline(p1, 'production', at('2026-01-02T02:00:00Z')), // lead 120 min
    pipeline(p1).deployed(at('2026-01-02T01:00:00Z'), 'staging'), // staging lead 60 min
    p2.received(at('2026-01-03T00:01:00Z')),
    p2.deployed(at('2026-01-03T01:00:00Z'), 'production', 'failed'),
    ...deliveredPipeline(p3, 'production', at('2026-01-03T04:00:00Z')), // lead 180, recovers p2 after 3 h
    ...deliveredPipeline(p4, 'production', at('2026-01-05T10:00:00Z')), // lead 600, then rolled back
    pipeline(p4).rolledBack(at('2026-01-05T11:00:00Z'), 'production'),
    rollback.deployed(at('2026-01-05T11:30:00Z'), 'production', 'succeeded', 'rollback'), // recovers p4 after 90 min
  ];
}

/** Six builds of one app, durations 1 to 10 minutes, three failure classes, a coverage drop. */
function buildHistory() {
  const b = (n: number) =>
    pipeline({ app: 'lib', id: `lib-${n}`, commit: 100 + n, committed: at('2026-01-02T00:00:00Z') });
  const day = (d: number) => at(`2026-01-0${d}T12:00:00Z`);
  return [
    b(1).buildSucceeded(day(2), minutes(2), { coverage: 80, tests: [10, 0, 1] }),
    b(2).buildFailed(day(3), minutes(4), 'step-failed', [10, 2, 0]),
    b(3).buildSucceeded(day(4), minutes(6), { coverage: 78, tests: [12, 0, 0] }),
    b(4).buildFailed(day(5), minutes(1), 'timeout'),
    b(5).buildSucceeded(day(6), minutes(10), { coverage: 85 }),
    b(6).buildFailed(day(7), minutes(3), 'image'),
  ];
}

describe.each(stores)('metrics queries on $kind', ({ open }) => {
  let store: TestDatabase;
  beforeAll(async () => {
    store = await open();
    await writeBatch(store.db, doraHistory());
    await writeBatch(store.db, buildHistory());
  });
  afterAll(() => store?.dispose());

  it('computes the five DORA metrics per environment as worked out by hand', async () => {
    const { environments } = await doraMetrics(store.db, { ...range, app: 'shop' });
    const production = environments.find((e) => e.environment === 'production')!;
    expect(production.deployments).toBe(4);
    expect(production.deploymentFrequency.perDay).toBeCloseTo(0.4);
    expect(production.deploymentFrequency.level).toBe('high');
    expect(production.leadTimeMs).toEqual({
      median: minutes(180),
      p90: minutes(516),
      count: 3,
      level: 'elite',
    });
    expect(production.changeFailureRate).toEqual({ rate: 2 / 5, level: 'low' });
    expect(production.recoveryTimeMs).toEqual({ median: minutes(135), count: 2, level: 'high' });
    expect(production.reworkRate).toBe(0.5);
    const staging = environments.find((e) => e.environment === 'staging')!;
    expect(staging).toMatchObject({
      deployments: 1,
      leadTimeMs: { median: minutes(60) },
      changeFailureRate: { rate: 0 },
    });
    expect(staging.deploymentFrequency.level).toBe('medium');
  });

  it('counts only the range and the app asked for', async () => {
    const before = await doraMetrics(store.db, {
      from: at('2025-01-01T00:00:00Z'),
      to: at('2026-01-01T00:00:00Z'),
      app: 'shop',
    });
    expect(before.environments).toEqual([]);
    const other = await doraMetrics(store.db, { ...range, app: 'lib' });
    expect(other.environments).toEqual([]);
  });

  it("computes DORA over all apps per environment, percentiles exact over every app's lead times", async () => {
    const march = (day: number, hour: number) =>
      at(`2026-03-0${day}T${String(hour).padStart(2, '0')}:00:00Z`);
    const p = (app: string, n: number) =>
      pipeline({ app, id: `${app}-${n}`, commit: 500 + n, committed: march(1, 0) });
    await writeBatch(store.db, [
      ...deliveredPipeline(
        { app: 'north', id: 'north-1', commit: 501, committed: march(1, 0) },
        'production',
        march(1, 1),
      ),
      ...deliveredPipeline(
        { app: 'south', id: 'south-1', commit: 502, committed: march(1, 0) },
        'production',
        march(1, 2),
      ),
      ...deliveredPipeline(
        { app: 'south', id: 'south-2', commit: 503, committed: march(1, 0) },
        'production',
        march(1, 4),
      ),
      p('north', 4).received(march(1, 0)),
      p('north', 4).deployed(march(1, 5), 'qa', 'failed'),
    ]);
    const all = await doraMetrics(store.db, { from: march(1, 0), to: march(8, 0) });
    expect(all.environments.map((e) => e.environment)).toEqual(['production', 'qa']);
    const [production, qa] = all.environments;
    // Lead times 60, 120 and 240 min: median 120, p90 = 120 + 0.8 × 120 (percentile_cont).
    expect(production!.leadTimeMs).toMatchObject({ median: minutes(120), p90: minutes(216), count: 3 });
    expect(production!.deployments).toBe(3);
    expect(qa).toMatchObject({ deployments: 0, failedDeployments: 1, changeFailureRate: { rate: 1 } });
    const one = await doraMetrics(store.db, { from: march(1, 0), to: march(8, 0), app: 'south' });
    expect(one.environments[0]!.leadTimeMs).toMatchObject({ median: minutes(180), count: 2 });
    expect((await doraMetrics(store.db, { from: march(8, 0), to: march(9, 0) })).environments).toEqual([]);
  });

  it('computes build counts, duration percentiles, failure classes, tests and coverage drops by hand', async () => {
    const builds = await buildMetrics(store.db, { ...range, app: 'lib' });
    expect(builds).toMatchObject({ total: 6, succeeded: 3, failed: 3, successRate: 0.5 });
    expect(builds.durationMs.p50).toBeCloseTo(minutes(3.5));
    expect(builds.durationMs.p90).toBeCloseTo(minutes(8));
    expect(builds.durationMs.p99).toBeCloseTo(minutes(9.8));
    expect(builds.failureClasses).toEqual({ image: 1, test: 1, timeout: 1 });
    expect(builds.tests).toEqual({ total: 32, failed: 2, skipped: 1 });
    expect(builds.coverage).toEqual([
      {
        app: 'lib',
        branch: 'main',
        points: [
          { at: '2026-01-02T12:00:00.000Z', pipelineId: 'lib-1', coverage: 80, drop: false },
          { at: '2026-01-04T12:00:00.000Z', pipelineId: 'lib-3', coverage: 78, drop: true },
          { at: '2026-01-06T12:00:00.000Z', pipelineId: 'lib-5', coverage: 85, drop: false },
        ],
      },
    ]);
  });
});
