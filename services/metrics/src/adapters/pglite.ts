import { mkdirSync } from 'node:fs';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import type { Database, Sql } from '../ports.js';

const txSql = (tx: Transaction): Sql => ({
  query: async <T>(text: string, params?: unknown[]) => (await tx.query<T>(text, params)).rows,
  exec: async (text) => void (await tx.exec(text)),
  transaction: (work) => work(txSql(tx)),
});

/** The embedded store: PostgreSQL compiled to WebAssembly, in this process, its files under `dir` (memory if undefined). */
export async function pgliteDatabase(dir?: string): Promise<Database> {
  if (dir) mkdirSync(dir, { recursive: true });
  return pgliteStore(await PGlite.create(dir));
}

/** A store on an open PGlite (the benchmark COPYs into the same one). */
export function pgliteStore(db: PGlite): Database {
  return {
    kind: 'pglite',
    query: async <T>(text: string, params?: unknown[]) => (await db.query<T>(text, params)).rows,
    exec: async (text) => void (await db.exec(text)),
    transaction: (work) => db.transaction((tx) => work(txSql(tx))),
    close: () => db.close(),
  };
}
