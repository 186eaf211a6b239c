import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@gitops/errors';

export interface RetryPolicy {
  /** Tries in all, the first included (`Infinity` to retry for the whole `budgetMs`). */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long to keep retrying, counted from the first failure: a registry down for less than this is
   * outlasted. Unset, only `attempts` limits the retries.
   */
  budgetMs?: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5000 };

/** A failure worth another try: a 408, 429 or 5xx answer, or a dropped connection. */
export class TransientError extends Error {
  override name = 'TransientError';
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

const NETWORK_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_STREAM_PREMATURE_CLOSE',
]);

/**
 * Connection-level failures (reset, refused, timed out, closed mid-response) that a retry can outlast. An
 * AppError never is: it is a verdict already, such as a retry loop further in that spent its budget.
 */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
  if (err instanceof AppError) return false;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return err instanceof Error && /socket hang up|aborted/i.test(err.message);
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds. */
export function parseRetryAfter(value: string | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Exponential backoff with full jitter, so clients retrying after one outage do not stampede together. */
export const backoffDelay = (policy: RetryPolicy, attempt: number, random = Math.random): number =>
  Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1)) * (0.5 + random() / 2);

/** `1.5s`, `5m0s`: how long the retries went on, for the error that ends them. */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return `${Number((ms / 1000).toFixed(1))}s`;
  return `${Math.floor(ms / 60_000)}m${Math.round((ms % 60_000) / 1000)}s`;
}

function unavailable(what: string, err: unknown, attempt: number, retriedMs: number, policy: RetryPolicy) {
  const spent = policy.budgetMs !== undefined && retriedMs >= policy.budgetMs;
  const why = spent
    ? `retry budget of ${formatDuration(policy.budgetMs ?? 0)} spent: ${attempt} tries in ${formatDuration(retriedMs)}`
    : `after ${attempt} tries`;
  return new AppError('GITOPS_REGISTRY_UNAVAILABLE', `${what}: ${(err as Error).message} (${why})`, {
    retryable: true,
    statusCode: 503,
    cause: err,
  });
}

/**
 * Runs `fn` until it succeeds, throws something not transient, or the attempts or the budget run out; the
 * last transient failure then becomes a retryable GITOPS_REGISTRY_UNAVAILABLE naming `what` (and the budget
 * when that is what ran out). The last wait is cut to what is left of the budget.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  what: string,
  fn: (attempt: number) => Promise<T>,
  onRetry: (err: unknown, delayMs: number, attempt: number) => void = () => undefined,
): Promise<T> {
  let firstFailure: number | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isTransient(err)) throw err;
      firstFailure ??= performance.now();
      const retriedMs = performance.now() - firstFailure;
      const leftMs = (policy.budgetMs ?? Number.POSITIVE_INFINITY) - retriedMs;
      if (attempt >= policy.attempts || leftMs <= 0) {
        throw unavailable(what, err, attempt, retriedMs, policy);
      }
      const hinted = err instanceof TransientError ? err.retryAfterMs : undefined;
      const delay = Math.min(policy.maxDelayMs, hinted ?? backoffDelay(policy, attempt), leftMs);
      onRetry(err, delay, attempt);
      await sleep(delay);
    }
  }
}
