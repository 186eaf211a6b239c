import { failureRateLevel, frequencyLevel, leadTimeLevel, recoveryLevel } from '../dora/buckets.js';
import type { Sql } from '../ports.js';
import type { Range } from './builds.js';
import { Where } from './where.js';

const DAY = 86_400_000;

const range = (filter: Range, alias = 'd') =>
  new Where()
    .add(`${alias}.finished_at >= $?`, filter.from.toISOString())
    .add(`${alias}.finished_at < $?`, filter.to.toISOString())
    .add(`${alias}.app = $?`, filter.app);

interface CountRow {
  environment: string;
  attempts: number;
  deployments: number;
  failed: number;
  rolled_back: number;
  rework: number;
  lead_median: number | null;
  lead_p90: number | null;
  lead_count: number;
}

const AGGREGATES = `count(*)::int as attempts,
  count(*) filter (where outcome = 'succeeded')::int as deployments,
  count(*) filter (where outcome = 'failed')::int as failed,
  count(*) filter (where rolled_back)::int as rolled_back,
  count(*) filter (where rework)::int as rework,
  percentile_cont(0.5) within group (order by lead_ms) filter (where outcome = 'succeeded') as lead_median,
  percentile_cont(0.9) within group (order by lead_ms) filter (where outcome = 'succeeded') as lead_p90,
  count(lead_ms) filter (where outcome = 'succeeded')::int as lead_count`;

// One app: one range of its covering index (deployments_app_finished); lead_ms and rework were
// decided when each deployment was stored (ingest/write-batch.ts).
const APP_COUNTS = (where: Where) => `
select environment, ${AGGREGATES}
from deployments d ${where} group by environment order by environment`;

// All apps: the environments by a skip scan of deployments_env_finished (a few index probes), then
// each one's range of that index, already grouped: no sort of every deployment by environment.
// The percentiles stay exact (each sorts that environment's lead times).
const ALL_COUNTS = (where: Where) => `
with recursive environments as (
  (select environment from deployments order by environment limit 1)
  union all
  select (select n.environment from deployments n where n.environment > e.environment order by n.environment limit 1)
  from environments e where e.environment is not null
)
select e.environment, c.* from environments e cross join lateral (
  select ${AGGREGATES} from deployments d ${where.add('d.environment = e.environment')}
) c
where e.environment is not null and c.attempts > 0
order by e.environment`;

// From each failure to the next good deployment of the same app and environment.
const RECOVERIES = (where: Where) => `
select f.environment,
  percentile_cont(0.5) within group (order by ms(r.finished_at) - ms(f.finished_at)) as median,
  count(*)::int as count
from deployments f cross join lateral (
  select n.finished_at from deployments n
  where n.app = f.app and n.environment = f.environment and n.finished_at > f.finished_at
    and n.outcome = 'succeeded' and not n.rolled_back
  order by n.finished_at limit 1
) r
${where} and (f.outcome = 'failed' or f.rolled_back)
group by f.environment`;

const byEnvironment = <T extends { environment: string }>(rows: T[]) =>
  new Map(rows.map((row) => [row.environment, row]));

/** The five DORA metrics per environment over the range, with their performance levels. */
export async function doraMetrics(db: Sql, filter: Range) {
  const counts = filter.app === undefined ? ALL_COUNTS : APP_COUNTS;
  const [rows, recoveryRows] = await Promise.all([
    db.query<CountRow>(counts(range(filter)), range(filter).params),
    db.query<{ environment: string; median: number; count: number }>(
      RECOVERIES(range(filter, 'f')),
      range(filter, 'f').params,
    ),
  ]);
  const recoveries = byEnvironment(recoveryRows);
  const days = Math.max((filter.to.getTime() - filter.from.getTime()) / DAY, 1 / 24);
  const environments = rows.map((row) => {
    const perDay = row.deployments / days;
    const changeFailures = row.failed + row.rolled_back;
    const failureRate = row.attempts > 0 ? changeFailures / row.attempts : null;
    const recovery = recoveries.get(row.environment);
    return {
      environment: row.environment,
      deployments: row.deployments,
      failedDeployments: row.failed,
      rolledBack: row.rolled_back,
      deploymentFrequency: { perDay, perWeek: perDay * 7, level: frequencyLevel(perDay) },
      leadTimeMs:
        row.lead_count > 0
          ? {
              median: row.lead_median!,
              p90: row.lead_p90!,
              count: row.lead_count,
              level: leadTimeLevel(row.lead_median!),
            }
          : null,
      changeFailureRate:
        failureRate === null ? null : { rate: failureRate, level: failureRateLevel(failureRate) },
      recoveryTimeMs: recovery
        ? { median: recovery.median, count: recovery.count, level: recoveryLevel(recovery.median) }
        : null,
      reworkRate: row.deployments > 0 ? row.rework / row.deployments : null,
    };
  });
  return {
    from: filter.from.toISOString(),
    to: filter.to.toISOString(),
    app: filter.app ?? null,
    environments,
  };
}
