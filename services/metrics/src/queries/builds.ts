import type { Sql } from '../ports.js';
import { Where, iso, limit } from './where.js';

export interface Range {
  app?: string | undefined;
  from: Date;
  to: Date;
}

const COVERAGE_POINTS = 1000;

interface Summary {
  total: number;
  succeeded: number;
  failed: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
  tests_total: number | null;
  tests_failed: number | null;
  tests_skipped: number | null;
}

const range = (filter: Range) =>
  new Where()
    .add('finished_at >= $?', filter.from.toISOString())
    .add('finished_at < $?', filter.to.toISOString())
    .add('app = $?', filter.app);

/** Build counts, success rate, duration percentiles, failure classes, tests and the coverage series. */
export async function buildMetrics(db: Sql, filter: Range) {
  const where = range(filter);
  // Three independent reads: on PostgreSQL they run side by side on the pool's connections.
  const [[summary], failures, coverage] = await Promise.all([
    db.query<Summary>(
      `select count(*)::int as total,
       count(*) filter (where outcome = 'succeeded')::int as succeeded,
       count(*) filter (where outcome = 'failed')::int as failed,
       percentile_cont(0.5) within group (order by duration_ms) as p50,
       percentile_cont(0.9) within group (order by duration_ms) as p90,
       percentile_cont(0.99) within group (order by duration_ms) as p99,
       sum(tests_total)::float8 as tests_total, sum(tests_failed)::float8 as tests_failed,
       sum(tests_skipped)::float8 as tests_skipped
     from builds ${where} and outcome <> 'running'`,
      where.params,
    ),
    db.query<{ reason: string; count: number }>(
      `select coalesce(reason, 'infrastructure') as reason, count(*)::int as count
     from builds ${where} and outcome = 'failed' group by 1 order by 2 desc, 1`,
      where.params,
    ),
    coverageSeries(db, filter),
  ]);
  const s = summary!;
  const finished = s.succeeded + s.failed;
  return {
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    app: filter.app ?? null,
    total: s.total,
    succeeded: s.succeeded,
    failed: s.failed,
    successRate: finished > 0 ? s.succeeded / finished : null,
    durationMs: { p50: s.p50, p90: s.p90, p99: s.p99 },
    failureClasses: Object.fromEntries(failures.map((f) => [f.reason, f.count])),
    tests:
      s.tests_total === null
        ? null
        : { total: s.tests_total, failed: s.tests_failed ?? 0, skipped: s.tests_skipped ?? 0 },
    coverage,
  };
}

interface CoverageRow {
  app: string;
  branch: string | null;
  pipeline_id: string;
  at: number;
  coverage: number;
  previous: number | null;
}

/**
 * Coverage per app and branch, oldest first, for the latest points of the range; a point is flagged
 * `drop` when it fell below the build with coverage before it (looked up by index, in range or not).
 */
async function coverageSeries(db: Sql, filter: Range) {
  const where = range(filter).add('coverage is not null');
  const rows = await db.query<CoverageRow>(
    `select r.app, r.branch, r.pipeline_id, ms(r.finished_at) as at, r.coverage,
       (select b.coverage from builds b
        where b.app = r.app and b.branch is not distinct from r.branch and b.coverage is not null
          and b.finished_at < r.finished_at
        order by b.finished_at desc limit 1) as previous
     from (select app, branch, pipeline_id, finished_at, coverage from builds ${where}
           order by finished_at desc ${limit(COVERAGE_POINTS)}) r
     order by r.app, r.branch, r.finished_at`,
    where.params,
  );
  const series = new Map<string, { app: string; branch: string | null; points: unknown[] }>();
  for (const row of rows) {
    const key = `${row.app}\n${row.branch ?? ''}`;
    if (!series.has(key)) series.set(key, { app: row.app, branch: row.branch, points: [] });
    series.get(key)!.points.push({
      at: iso(row.at),
      pipelineId: row.pipeline_id,
      coverage: row.coverage,
      drop: row.previous !== null && row.coverage < row.previous,
    });
  }
  return [...series.values()];
}
