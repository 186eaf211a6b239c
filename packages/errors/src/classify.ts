import { ContractViolation } from '@gitops/contracts';
import { AppError } from './app-error.js';

/** What a consumer does with a message whose handler threw: try again later, or give up on it. */
export type Disposition = 'retry' | 'drop';

/**
 * Invalid input never heals, so it is dropped (dead-lettered); an AppError says for itself; anything
 * else is presumed transient (a reset connection, a timeout) and retried within the attempt budget.
 */
export function classify(err: unknown): Disposition {
  if (err instanceof ContractViolation) return 'drop';
  if (err instanceof AppError) return err.retryable ? 'retry' : 'drop';
  return 'retry';
}

/** A one-line description of any thrown value, for logs and failure events. */
export function describeError(err: unknown): string {
  if (err instanceof AppError) return `${err.code}: ${err.message}`;
  if (err instanceof Error) return err.message;
  return String(err);
}
