/** A WHERE clause built from the filters present, so each query's plan fits its indexes. */
export class Where {
  readonly params: unknown[] = [];
  readonly #clauses: string[] = [];

  /** Adds `clause`, each `$?` standing for the next of `values`, unless one is undefined. */
  add(clause: string, ...values: unknown[]): this {
    if (values.some((value) => value === undefined)) return this;
    let index = 0;
    this.#clauses.push(clause.replace(/\$\?/g, () => this.param(values[index++])));
    return this;
  }

  /** The next parameter's placeholder. */
  param(value: unknown): string {
    this.params.push(value);
    return `$${this.params.length}`;
  }

  toString(): string {
    return this.#clauses.length > 0 ? `where ${this.#clauses.join(' and ')}` : '';
  }
}

/**
 * A LIMIT as a literal, so PostgreSQL plans for it (a parameter can turn into a generic plan that
 * sorts the whole table); only integers pass.
 */
export const limit = (n: number) => {
  if (!Number.isSafeInteger(n) || n < 1) throw new Error(`limit ${n} is not a positive integer`);
  return `limit ${n}`;
};

export const iso = (ms: number | null | undefined) =>
  ms === null || ms === undefined ? null : new Date(ms).toISOString();

/** An opaque cursor: the sort key of the last row of a page. */
export const encodeCursor = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');

export function decodeCursor(cursor: string): unknown[] | undefined {
  try {
    const key = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return Array.isArray(key) ? key : undefined;
  } catch {
    return undefined;
  }
}
