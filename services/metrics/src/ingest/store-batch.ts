import type { AnyEvent } from '@gitops/contracts';
import type { Sql } from '../ports.js';
import { type BatchResult, writeBatch } from './write-batch.js';

/**
 * SQLSTATE classes of a statement PostgreSQL refuses for its data, on every retry: data exceptions
 * (22: a time out of range, say), integrity constraint violations (23) and program limits (54: a
 * value too large). Anything else (a connection lost, a deadlock, the server down) is worth retrying.
 */
const REFUSED = /^(22|23|54)/;

export const refusedByStore = (err: unknown) =>
  typeof (err as { code?: unknown })?.code === 'string' && REFUSED.test((err as { code: string }).code);

/** An event the store refused, by its index in the batch, with PostgreSQL's error. */
export interface Refused {
  index: number;
  error: unknown;
}

/**
 * Stores a batch in one transaction; if the store refuses it for its data, stores it again event by
 * event so that the others are kept and only the refused ones are answered (to be parked). Any other
 * failure throws: the whole batch is redelivered, and the events already stored are skipped then.
 */
export async function storeBatch(
  db: Sql,
  events: AnyEvent[],
  onStored: (result: BatchResult) => void,
): Promise<Refused[]> {
  try {
    onStored(await writeBatch(db, events));
    return [];
  } catch (err) {
    if (!refusedByStore(err)) throw err;
  }
  const refused: Refused[] = [];
  for (const [index, event] of events.entries()) {
    try {
      onStored(await writeBatch(db, [event]));
    } catch (error) {
      if (!refusedByStore(error)) throw error;
      refused.push({ index, error });
    }
  }
  return refused;
}
