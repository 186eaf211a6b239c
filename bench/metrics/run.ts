// bench/metrics: ingest 1,000,000 events for 100 apps over 90 days through the metrics service's batch
// writer (raw events + derived tables + audit chain, 2000 per transaction: INGEST_BATCH), against a bare COPY of the
// same rows into a table shaped like `events` in the same database in the same run (interleaved in blocks
// of 100,000, so both meet the same load); then the DORA,
// builds and pipelines queries over 90 days (p50/p99). On PostgreSQL (DATABASE_URL of a server, a
// fresh database is created and dropped) and PGlite (in memory, BENCH_PGLITE_EVENTS events).
// Run: pnpm --filter @gitops/bench metrics. BENCH_EVENTS, BENCH_PGLITE_EVENTS, BENCH_BATCH (INGEST_BATCH), BENCH_RUNS
// change the shape.
import { randomUUID } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { AnyEvent } from '../../packages/contracts/src/index.js';
import { pgliteStore } from '../../services/metrics/src/adapters/pglite.js';
import { postgresDatabase } from '../../services/metrics/src/adapters/postgres.js';
import { writeBatch } from '../../services/metrics/src/ingest/write-batch.js';
import type { Database } from '../../services/metrics/src/ports.js';
import { buildMetrics } from '../../services/metrics/src/queries/builds.js';
import { doraMetrics } from '../../services/metrics/src/queries/dora.js';
import { listPipelines } from '../../services/metrics/src/queries/pipelines.js';
import { migrate } from '../../services/metrics/src/store/migrate.js';
import { csvRows, eventBatches } from './events.js';

const EVENTS = Number(process.env.BENCH_EVENTS ?? 1_000_000);
const PGLITE_EVENTS = Number(process.env.BENCH_PGLITE_EVENTS ?? 200_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 50);
const SERVER = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const BATCH = Number(process.env.BENCH_BATCH ?? 2000); // INGEST_BATCH's default
const SHAPE = { apps: 100, days: 90, end: Date.parse('2026-12-01T00:00:00Z') };
const COPY_TABLE = 'create table events_copy (like events including all)';
const COPY_SQL =
  'copy events_copy (id, name, app, pipeline_id, environment, time, envelope) from %s with (format csv)';

const out = (line = '') => process.stdout.write(`${line}\n`);
const seconds = async (fn: () => Promise<unknown>) => {
  const started = performance.now();
  await fn();
  return (performance.now() - started) / 1000;
};

const BLOCK = 100_000;

/** The events in blocks of BLOCK (batches of BATCH), generated before either side is timed. */
function* blocks(total: number) {
  let block: AnyEvent[][] = [];
  let count = 0;
  for (const batch of eventBatches(total, BATCH, SHAPE)) {
    block.push(batch);
    count += batch.length;
    if (count % BLOCK === 0) {
      yield block;
      block = [];
    }
  }
  if (block.length > 0) yield block;
}

/** A COPY of CSV `rows` into events_copy. */
type Copy = (rows: string) => Promise<void>;

async function copyPostgres(url: string): Promise<{ copy: Copy; close(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  return {
    copy: async (rows) => {
      const stream = client.query(copyFrom(COPY_SQL.replace('%s', 'stdin')));
      const finished = new Promise((resolve, reject) => stream.on('finish', resolve).on('error', reject));
      stream.end(rows);
      await finished;
    },
    close: () => client.end(),
  };
}

const copyPglite =
  (db: PGlite): Copy =>
  async (rows) => {
    await db.query(COPY_SQL.replace('%s', "'/dev/blob'"), [], { blob: new Blob([rows]) });
  };

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;

async function timeQuery(run: () => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await run();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await run();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { p50: percentile(times, 0.5), p99: percentile(times, 0.99) };
}

const QUERIES = {
  'DORA, one app': (db: Database, range: { from: Date; to: Date }) =>
    doraMetrics(db, { ...range, app: 'app-042' }),
  'DORA, all apps': (db: Database, range: { from: Date; to: Date }) => doraMetrics(db, range),
  'builds, one app': (db: Database, range: { from: Date; to: Date }) =>
    buildMetrics(db, { ...range, app: 'app-042' }),
  'builds, all apps': (db: Database, range: { from: Date; to: Date }) => buildMetrics(db, range),
  'pipelines page, one app': (db: Database) => listPipelines(db, { app: 'app-042', limit: 50 }),
  'pipelines page, all apps': (db: Database) => listPipelines(db, { limit: 50 }),
};

/**
 * Block by block, a bare COPY of the block's rows into events_copy, then the same events through the
 * service's batch writer: both sides meet the same load of a shared machine.
 */
async function measure(kind: string, db: Database, total: number, copy: Copy) {
  await db.query(COPY_TABLE);
  let copySeconds = 0;
  let ingestSeconds = 0;
  let done = 0;
  for (const block of blocks(total)) {
    copySeconds += await seconds(() => copy(block.map(csvRows).join('')));
    ingestSeconds += await seconds(async () => {
      for (const batch of block) await writeBatch(db, batch);
    });
    done += block.reduce((sum, batch) => sum + batch.length, 0);
    process.stderr.write(`${kind}: ${done} events copied and ingested\n`);
  }
  const [stored] = await db.query<{ n: number }>('select count(*)::int as n from events');
  if (stored!.n !== total) throw new Error(`${kind}: ${stored!.n} events stored of ${total}`);
  await db.query('drop table events_copy');
  await db.query('vacuum analyze');
  const range = { from: new Date(SHAPE.end - SHAPE.days * 86_400_000), to: new Date(SHAPE.end) };
  const queries: Record<string, { p50: number; p99: number }> = {};
  for (const [name, run] of Object.entries(QUERIES)) queries[name] = await timeQuery(() => run(db, range));
  return { kind, total, copyRate: total / copySeconds, ingestRate: total / ingestSeconds, queries };
}

async function onPostgres() {
  const name = `bench_metrics_${randomUUID().replaceAll('-', '').slice(0, 12)}`;
  const admin = new pg.Client({ connectionString: SERVER });
  await admin.connect();
  await admin.query(`create database ${name}`);
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = postgresDatabase(url.toString(), 4);
  const copier = await copyPostgres(url.toString());
  try {
    await migrate(db);
    return await measure('PostgreSQL', db, EVENTS, copier.copy);
  } finally {
    await copier.close();
    await db.close();
    await admin.query(`drop database ${name} with (force)`);
    await admin.end();
  }
}

async function onPglite() {
  const raw = await PGlite.create();
  const db = pgliteStore(raw);
  try {
    await migrate(db);
    return await measure('PGlite', db, PGLITE_EVENTS, copyPglite(raw));
  } finally {
    await db.close();
  }
}

const postgres = await onPostgres();
process.stderr.write(`${JSON.stringify(postgres)}\n`);
const results = [postgres, await onPglite()];
const fmt = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 0 });
out(`## bench/metrics (${SHAPE.apps} apps, ${SHAPE.days} days, batches of ${BATCH}, ${RUNS} runs per query)`);
out();
out('| store | events | bare COPY events/s | ingest events/s | ingest / COPY |');
out('| --- | ---: | ---: | ---: | ---: |');
for (const r of results)
  out(
    `| ${r.kind} | ${fmt(r.total)} | ${fmt(r.copyRate)} | ${fmt(r.ingestRate)} | ${(r.ingestRate / r.copyRate).toFixed(2)} |`,
  );
out();
out(`| query over 90 days | ${results.map((r) => `${r.kind} p50 ms | ${r.kind} p99 ms`).join(' | ')} |`);
out(`| --- | ${results.map(() => '---: | ---:').join(' | ')} |`);
for (const name of Object.keys(QUERIES)) {
  out(
    `| ${name} | ${results.map((r) => `${r.queries[name]!.p50.toFixed(1)} | ${r.queries[name]!.p99.toFixed(1)}`).join(' | ')} |`,
  );
}
const pgResult = results[0]!;
out();
out(
  `Goals on PostgreSQL: ingest >= 0.5 x COPY: ${pgResult.ingestRate / pgResult.copyRate >= 0.5 ? 'met' : 'NOT met'}; every query p99 < 100 ms: ${Object.values(pgResult.queries).every((q) => q.p99 < 100) ? 'met' : 'NOT met'}.`,
);
