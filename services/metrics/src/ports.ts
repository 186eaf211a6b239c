/**
 * The one interface both stores implement: PostgreSQL (node-postgres) and PGlite run the same SQL.
 * Queries select only text, float8, int4, bool and jsonb columns (times as `ms(t)` epoch
 * milliseconds), which both drivers return as the same JavaScript values.
 */
export interface Sql {
  query<T = Record<string, unknown>>(text: string, params?: unknown[]): Promise<T[]>;
  /** Runs several `;`-separated statements without parameters (migrations). */
  exec(text: string): Promise<void>;
  /** Runs `work` in one transaction: committed when it resolves, rolled back when it throws. */
  transaction<T>(work: (tx: Sql) => Promise<T>): Promise<T>;
}

export interface Database extends Sql {
  readonly kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}
