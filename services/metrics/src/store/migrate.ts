import type { Sql } from '../ports.js';
import { migrations } from './migrations.js';

// Replicas starting together: the first takes the lock and migrates, the others wait and find it done.
const MIGRATION_LOCK = 0x6d657472;

/** Applies the migrations the database has not seen, in one transaction each; returns their versions. */
export async function migrate(db: Sql): Promise<number[]> {
  await db.query(
    'create table if not exists schema_migrations (version int primary key, name text not null, applied_at timestamptz not null default now())',
  );
  const applied: number[] = [];
  for (const migration of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('select pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
      const seen = await tx.query('select 1 from schema_migrations where version = $1', [migration.version]);
      if (seen.length > 0) return false;
      await tx.exec(migration.sql);
      await tx.query('insert into schema_migrations (version, name) values ($1, $2)', [
        migration.version,
        migration.name,
      ]);
      return true;
    });
    if (done) applied.push(migration.version);
  }
  return applied;
}
