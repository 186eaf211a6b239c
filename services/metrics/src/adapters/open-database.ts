import { join } from 'node:path';
import type { Database } from '../ports.js';
import { migrate } from '../store/migrate.js';
import { pgliteDatabase } from './pglite.js';
import { postgresDatabase } from './postgres.js';

/** PostgreSQL when DATABASE_URL is set, else PGlite under the data directory; migrated. */
export async function openDatabase(config: {
  DATABASE_URL?: string | undefined;
  DATABASE_POOL_SIZE: number;
  GITOPS_DATA_DIR: string;
}): Promise<Database> {
  const db = config.DATABASE_URL
    ? postgresDatabase(config.DATABASE_URL, config.DATABASE_POOL_SIZE)
    : await pgliteDatabase(join(config.GITOPS_DATA_DIR, 'metrics', 'db'));
  try {
    await migrate(db);
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}
