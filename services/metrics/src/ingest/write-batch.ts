import type { AnyEvent } from '@gitops/contracts';
import { chain } from '../audit/chain.js';
import { auditEntryOf } from '../audit/records.js';
import type { Sql } from '../ports.js';
import { type EventFacts, factsOf } from './facts.js';
import { foldBy, mergeBuild, mergePipeline, mergeStage } from './merge.js';

const json = (rows: unknown[]) => JSON.stringify(rows);

const noNul = (_key: string, value: unknown) =>
  typeof value === 'string' ? value.replaceAll('\u0000', '\uFFFD') : value;

/**
 * PostgreSQL's text and jsonb cannot hold NUL: a commit message with one would fail its batch on
 * every redelivery and stop ingestion. Such characters are stored as U+FFFD, before anything is
 * derived or hashed from the event.
 */
function storable(event: AnyEvent): AnyEvent {
  const text = JSON.stringify(event.event);
  if (!text.includes('\\u0000')) return event;
  return { ...event, event: JSON.parse(JSON.stringify(event.event, noNul)) } as AnyEvent;
}
const defined = <T>(values: Array<T | undefined>) => values.filter((v): v is T => v !== undefined);

const INSERT_EVENTS = `
insert into events (id, name, app, pipeline_id, environment, time, envelope)
select x.id, x.name, x.app, x.pipeline_id, x.environment, x.time, x.envelope
from json_to_recordset($1::json) as x(id text, name text, app text, pipeline_id text, environment text, time timestamptz, envelope jsonb)
on conflict (id) do nothing
returning id`;

const UPSERT_PIPELINES = `
insert into pipelines (pipeline_id, app, branch, commit, commit_time, pusher, started_at, updated_at, status, stage, digest)
select x.pipeline_id, x.app, x.branch, x.commit, x.commit_time, x.pusher, x.started_at, x.at, x.status, x.stage, x.digest
from json_to_recordset($1::json) as x(pipeline_id text, app text, branch text, commit text, commit_time timestamptz, pusher text, started_at timestamptz, at timestamptz, status text, stage text, digest text)
on conflict (pipeline_id) do update set
  branch = coalesce(pipelines.branch, excluded.branch),
  commit = coalesce(pipelines.commit, excluded.commit),
  commit_time = coalesce(excluded.commit_time, pipelines.commit_time),
  pusher = coalesce(excluded.pusher, pipelines.pusher),
  digest = coalesce(excluded.digest, pipelines.digest),
  started_at = least(pipelines.started_at, excluded.started_at),
  status = case when excluded.updated_at >= pipelines.updated_at then excluded.status else pipelines.status end,
  stage = case when excluded.updated_at >= pipelines.updated_at then excluded.stage else pipelines.stage end,
  updated_at = greatest(pipelines.updated_at, excluded.updated_at)`;

const UPSERT_STAGES = `
insert into stages (pipeline_id, stage, environment, started_at, ended_at, outcome, detail)
select x.pipeline_id, x.stage, x.environment, x.started_at, x.ended_at, x.outcome, coalesce(x.detail, '{}')
from json_to_recordset($1::json) as x(pipeline_id text, stage text, environment text, started_at timestamptz, ended_at timestamptz, outcome text, detail jsonb)
on conflict (pipeline_id, stage, environment) do update set
  started_at = least(stages.started_at, excluded.started_at),
  ended_at = greatest(stages.ended_at, excluded.ended_at),
  outcome = case
    when excluded.ended_at is not null and (stages.ended_at is null or excluded.ended_at >= stages.ended_at) then excluded.outcome
    when excluded.ended_at is null and stages.ended_at is null then excluded.outcome
    else stages.outcome end,
  detail = stages.detail || excluded.detail`;

const UPSERT_BUILDS = `
insert into builds (pipeline_id, app, branch, started_at, finished_at, outcome, duration_ms, reason, tests_total, tests_failed, tests_skipped, coverage)
select * from json_to_recordset($1::json) as x(pipeline_id text, app text, branch text, started_at timestamptz, finished_at timestamptz, outcome text, duration_ms float8, reason text, tests_total int, tests_failed int, tests_skipped int, coverage float8)
on conflict (pipeline_id) do update set
  branch = coalesce(builds.branch, excluded.branch),
  started_at = least(builds.started_at, excluded.started_at),
  finished_at = greatest(builds.finished_at, excluded.finished_at),
  outcome = case when excluded.finished_at is not null or builds.finished_at is null then excluded.outcome else builds.outcome end,
  duration_ms = coalesce(excluded.duration_ms, builds.duration_ms),
  reason = coalesce(excluded.reason, builds.reason),
  tests_total = coalesce(excluded.tests_total, builds.tests_total),
  tests_failed = coalesce(excluded.tests_failed, builds.tests_failed),
  tests_skipped = coalesce(excluded.tests_skipped, builds.tests_skipped),
  coverage = coalesce(excluded.coverage, builds.coverage)`;

// Lead time from the pipeline's commit time, stored before its deploy (stream order).
const INSERT_DEPLOYMENTS = `
insert into deployments (id, pipeline_id, app, environment, outcome, finished_at, commit, config_commit, trigger, image, lead_ms)
select x.*, case when x.outcome = 'succeeded' then ms(x.finished_at) - ms(p.commit_time) end
from json_to_recordset($1::json) as x(id text, pipeline_id text, app text, environment text, outcome text, finished_at timestamptz, commit text, config_commit text, trigger text, image text)
left join pipelines p on p.pipeline_id = x.pipeline_id
on conflict (id) do nothing
returning app, environment, lead_ms as ms`;

// A rollback marks the deployments of the config commit it moved away from, and answers the
// deployment that followed each (already stored, its rework flag now changes).
const MARK_ROLLED_BACK = `
with marked as (
  update deployments d set rolled_back = true
  from json_to_recordset($1::json) as x(app text, environment text, "from" text)
  where d.app = x.app and d.environment = x.environment and d.config_commit = x."from" and d.outcome = 'succeeded'
  returning d.app, d.environment, d.finished_at
)
select (select n.id from deployments n
        where n.app = m.app and n.environment = m.environment and n.finished_at > m.finished_at
        order by n.finished_at limit 1) as id
from marked m`;

// Rework: a rollback's own deployment, or the first good one after a failed or rolled-back one.
// Only rows whose flag changes are rewritten (most stay false): an update of every new deployment
// would add a row version and an entry in each of its indexes.
const SET_REWORK = `
update deployments d set rework = not d.rework
where d.id = any($1::text[]) and d.rework <> (d.outcome = 'succeeded' and (d.trigger = 'rollback' or coalesce((
  select prev.outcome = 'failed' or prev.rolled_back from deployments prev
  where prev.app = d.app and prev.environment = d.environment and prev.finished_at < d.finished_at
  order by prev.finished_at desc limit 1), false)))`;

const INSERT_AUDIT = `
insert into audit (seq, at, app, pipeline_id, kind, actor, event_id, details, prev_hash, hash)
select x.seq, x.at, x.app, x."pipelineId", x.kind, x.actor, x."eventId", x.details, x."prevHash", x.hash
from json_to_recordset($1::json) as x(seq bigint, at timestamptz, app text, "pipelineId" text, kind text, actor text, "eventId" text, details jsonb, "prevHash" text, hash text)`;

const eventRow = ({ name, event }: AnyEvent) => ({
  id: event.id,
  name,
  app: event.data.app,
  pipeline_id: event.data.pipelineId,
  environment: 'environment' in event.data ? event.data.environment : null,
  time: event.time,
  envelope: event,
});

/** What a stored batch added: the events that were new (replays excluded), in batch order. */
export interface BatchResult {
  stored: AnyEvent[];
  facts: EventFacts[];
  /** Commit-to-deploy times of the successful deployments stored, where the commit time is known. */
  leadTimes: Array<{ app: string; environment: string; ms: number }>;
}

async function upsert<T>(tx: Sql, statement: string, rows: string | undefined): Promise<T[]> {
  return rows ? tx.query<T>(statement, [rows]) : [];
}

const stageKey = (s: { pipeline_id: string; stage: string; environment: string }) =>
  `${s.pipeline_id}\n${s.stage}\n${s.environment}`;

const jsonOrNone = (rows: unknown[]) => (rows.length > 0 ? json(rows) : undefined);

/**
 * The derived rows and chained ledger records of `stored` (events new to the store), after `head`,
 * serialized for their statements (undefined: none).
 */
function derive(stored: AnyEvent[], head: { seq: number; hash: string }) {
  const facts = stored.map(factsOf);
  const deployments = defined(facts.map((f) => f.deployment));
  const records = chain(head, defined(stored.map(auditEntryOf)));
  return {
    facts,
    pipelines: jsonOrNone(foldBy(defined(facts.map((f) => f.pipeline)), (p) => p.pipeline_id, mergePipeline)),
    stages: jsonOrNone(foldBy(defined(facts.map((f) => f.stage)), stageKey, mergeStage)),
    builds: jsonOrNone(foldBy(defined(facts.map((f) => f.build)), (b) => b.pipeline_id, mergeBuild)),
    deploymentIds: deployments.map((d) => d.id),
    deployments: jsonOrNone(deployments),
    rollbacks: jsonOrNone(defined(facts.map((f) => f.rollback))),
    audit: jsonOrNone(records),
    last: records[records.length - 1],
  };
}

/**
 * Stores a batch in one transaction: the raw events (a replayed id is skipped), then the derived
 * rows and ledger records of the new ones only, so a redelivered batch changes nothing. Writers are
 * serialized on the ledger head, which keeps the ledger one chain and event seqs in commit order.
 * The derived rows and the chain are computed while PostgreSQL inserts the raw events (the other
 * core), on the bet that every event is new; a batch with replays is derived again from the new ones.
 */
export function writeBatch(db: Sql, batch: AnyEvent[]): Promise<BatchResult> {
  // One serialization of the batch; checked for NUL as a whole (almost never there).
  let rows = json(batch.map(eventRow));
  const events = rows.includes('\\u0000') ? batch.map(storable) : batch;
  if (events !== batch) rows = json(events.map(eventRow));
  return db.transaction(async (tx) => {
    const [head] = await tx.query<{ seq: number; hash: string }>(
      'select seq::float8 as seq, hash from ledger_head where id = 1 for update',
    );
    const inserting = tx.query<{ id: string }>(INSERT_EVENTS, [rows]);
    let speculated: ReturnType<typeof derive>;
    try {
      speculated = derive(events, head!);
    } finally {
      await inserting.catch(() => undefined);
    }
    const fresh = new Set((await inserting).map((row) => row.id));
    const stored = events.filter((e) => fresh.delete(e.event.id));
    const derived = stored.length === events.length ? speculated : derive(stored, head!);
    // Sent back to back, without waiting for each (one connection runs them in this order):
    // deployments read the pipelines' commit times written before them.
    const last = derived.last;
    const [, , , inserted, following] = await Promise.all([
      upsert(tx, UPSERT_PIPELINES, derived.pipelines),
      upsert(tx, UPSERT_STAGES, derived.stages),
      upsert(tx, UPSERT_BUILDS, derived.builds),
      upsert<{ app: string; environment: string; ms: number | null }>(
        tx,
        INSERT_DEPLOYMENTS,
        derived.deployments,
      ),
      upsert<{ id: string | null }>(tx, MARK_ROLLED_BACK, derived.rollbacks),
      upsert(tx, INSERT_AUDIT, derived.audit),
      last && tx.query('update ledger_head set seq = $1, hash = $2 where id = 1', [last.seq, last.hash]),
    ]);
    const reworkIds = [...derived.deploymentIds, ...defined(following.map((f) => f.id ?? undefined))];
    if (reworkIds.length > 0) await tx.query(SET_REWORK, [reworkIds]);
    const leadTimes = inserted.filter((d): d is BatchResult['leadTimes'][number] => d.ms !== null);
    return { stored, facts: derived.facts, leadTimes };
  });
}
