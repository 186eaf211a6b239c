import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { pgliteDatabase } from '../adapters/pglite.js';
import { postgresDatabase } from '../adapters/postgres.js';
import type { Database } from '../ports.js';
import { migrate } from '../store/migrate.js';

/** The machine's PostgreSQL (trust auth); TEST_DATABASE_URL overrides it. */
const SERVER = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: SERVER });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  db: Database;
  /** For a service started in a test: the DATABASE_URL of this database, or undefined for PGlite. */
  url?: string;
  dispose(): Promise<void>;
}

/** A fresh database of its own on the PostgreSQL server, migrated; dropped on dispose. */
export async function postgresTestDatabase(): Promise<TestDatabase> {
  const name = `metrics_test_${randomUUID().replaceAll('-', '').slice(0, 16)}`;
  await admin((client) => client.query(`create database ${name}`));
  const url = new URL(SERVER);
  url.pathname = `/${name}`;
  const db = postgresDatabase(url.toString(), 4);
  await migrate(db);
  return {
    db,
    url: url.toString(),
    dispose: async () => {
      await db.close();
      await admin((client) => client.query(`drop database if exists ${name} with (force)`));
    },
  };
}

/** A PGlite database in memory, migrated. */
export async function pgliteTestDatabase(): Promise<TestDatabase> {
  const db = await pgliteDatabase();
  await migrate(db);
  return { db, dispose: () => db.close() };
}

/** Both stores, for `describe.each(stores)`: the same suite runs on PostgreSQL and on PGlite. */
export const stores = [
  { kind: 'postgres', open: postgresTestDatabase },
  { kind: 'pglite', open: pgliteTestDatabase },
] as const;
