/**
 * Versioned migrations, applied in order, each once, in a transaction (store/migrate.ts). Never
 * edit one that shipped: add the next version. The same SQL runs on PostgreSQL 15 and PGlite.
 */
export const migrations: Array<{ version: number; name: string; sql: string }> = [
  {
    version: 1,
    name: 'events, pipelines, stages, builds, deployments, audit ledger',
    sql: `
-- Epoch milliseconds; stable like extract() itself, so PostgreSQL inlines it.
create function ms(t timestamptz) returns float8 language sql stable
  as 'select extract(epoch from t) * 1000';

-- Every event once: its id is the key, seq is the order it was stored in (SSE's Last-Event-ID).
create table events (
  id text primary key,
  seq bigint generated always as identity unique,
  name text not null,
  app text not null,
  pipeline_id text not null,
  environment text,
  time timestamptz not null,
  stored_at timestamptz not null default now(),
  envelope jsonb not null
);
-- The SSE stream by app; by type it walks seq (a live tail reads few rows).
create index events_app_seq on events (app, seq);

create table pipelines (
  pipeline_id text primary key,
  app text not null,
  branch text,
  commit text,
  commit_time timestamptz,
  pusher text,
  started_at timestamptz not null,
  updated_at timestamptz not null,
  status text not null,
  stage text not null,
  digest text
);
create index pipelines_started on pipelines (started_at desc, pipeline_id desc);
create index pipelines_app_started on pipelines (app, started_at desc, pipeline_id desc);
create index pipelines_status_started on pipelines (status, started_at desc, pipeline_id desc);

-- One row per stage of a pipeline ('' environment for the stages that run once).
create table stages (
  pipeline_id text not null,
  stage text not null,
  environment text not null default '',
  started_at timestamptz,
  ended_at timestamptz,
  outcome text not null,
  detail jsonb not null default '{}',
  primary key (pipeline_id, stage, environment)
);

create table builds (
  pipeline_id text primary key,
  app text not null,
  branch text,
  started_at timestamptz,
  finished_at timestamptz,
  outcome text not null,
  duration_ms float8,
  reason text,
  tests_total int,
  tests_failed int,
  tests_skipped int,
  coverage float8
);
create index builds_finished on builds (finished_at, app);
create index builds_app_finished on builds (app, finished_at);

-- lead_ms (commit to deploy) and rework are decided when a deployment is stored, so the DORA
-- queries are one scan of an index that covers them.
create table deployments (
  id text primary key,
  pipeline_id text not null,
  app text not null,
  environment text not null,
  outcome text not null,
  finished_at timestamptz not null,
  commit text,
  config_commit text not null,
  trigger text,
  image text,
  rolled_back boolean not null default false,
  rework boolean not null default false,
  lead_ms float8
);
create index deployments_finished on deployments (finished_at) include (environment, outcome, rolled_back, rework, lead_ms);
create index deployments_app_finished on deployments (app, finished_at) include (environment, outcome, rolled_back, rework, lead_ms);
create index deployments_app_env_finished on deployments (app, environment, finished_at);
-- Recovery time: from each failure (few) to the next good deployment (one index probe each).
create index deployments_failures on deployments (finished_at) include (app, environment) where outcome = 'failed' or rolled_back;
create index deployments_good on deployments (app, environment, finished_at) where outcome = 'succeeded' and not rolled_back;
create index deployments_config_commit on deployments (app, environment, config_commit);

-- The compliance ledger: hash = sha256(prev_hash || canonical record), seq without gaps.
create table audit (
  seq bigint primary key,
  at timestamptz not null,
  app text not null,
  pipeline_id text not null,
  kind text not null,
  actor text,
  event_id text not null,
  details jsonb not null,
  prev_hash text not null,
  hash text not null
);
create index audit_at on audit (at, seq);
create index audit_app_at on audit (app, at, seq);

-- The single row every ingest transaction locks first: it serializes writers, so the ledger chains
-- without forks and event seqs become visible in order.
create table ledger_head (
  id int primary key check (id = 1),
  seq bigint not null,
  hash text not null
);
insert into ledger_head values (1, 0, '');

-- A signed summary of the pruned prefix of the ledger: verification starts from the latest one.
create table audit_checkpoints (
  through_seq bigint primary key,
  last_hash text not null,
  pruned_at timestamptz not null,
  signature text not null
);
`,
  },
  {
    version: 2,
    name: 'deployments by environment for DORA over all apps',
    sql: `
-- DORA over all apps reads each environment's deployments of the range in index order (one index
-- range per environment, found by a skip scan of the same index): no sort by environment. It
-- replaces the index led by finished_at, which no query needs any more.
create index deployments_env_finished on deployments (environment, finished_at) include (outcome, rolled_back, rework, lead_ms);
drop index deployments_finished;
`,
  },
];
