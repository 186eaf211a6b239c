import pg from 'pg';
import type { Database, Sql } from '../ports.js';

const clientSql = (client: pg.PoolClient): Sql => ({
  query: async (text, params) => (await client.query(text, params)).rows,
  exec: async (text) => void (await client.query(text)),
  transaction: (work) => work(clientSql(client)),
});

/** The store on a PostgreSQL server (DATABASE_URL): a pool of `poolSize` connections. */
export function postgresDatabase(url: string, poolSize = 10): Database {
  // Percentiles over a 90-day range sort in memory rather than on disk (the default is 4MB). No
  // JIT: these queries run in tens of ms, and compiling one whose estimate crosses jit_above_cost
  // (the skip scan of DORA over all apps) takes hundreds.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c work_mem=32MB -c jit=off' });
  // An idle connection the server dropped must not crash the process; the next query reconnects.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    query: async (text, params) => (await pool.query(text, params)).rows,
    exec: async (text) => void (await pool.query(text)),
    async transaction(work) {
      const client = await pool.connect();
      try {
        await client.query('begin');
        const result = await work(clientSql(client));
        await client.query('commit');
        return result;
      } catch (err) {
        await client.query('rollback').catch(() => undefined);
        throw err;
      } finally {
        client.release();
      }
    },
    close: () => pool.end(),
  };
}
