import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '@gitops/errors';

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export const DEFAULT_RETRY: RetryPolicy = { attempts: 6, baseDelayMs: 200, maxDelayMs: 5000 };

/** A failure worth another try: a 429 or 5xx answer, or a dropped connection. */
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

/** Connection-level failures (reset, refused, closed mid-response) that a retry can outlast. */
export function isTransient(err: unknown): boolean {
  if (err instanceof TransientError) return true;
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

/**
 * Runs `fn` until it succeeds, throws something not transient, or the attempts run out; the last transient
 * failure then becomes a retryable GITOPS_REGISTRY_UNAVAILABLE naming `what`.
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  what: string,
  fn: (attempt: number) => Promise<T>,
  onRetry: (err: unknown, delayMs: number, attempt: number) => void = () => undefined,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (err) {
      if (!isTransient(err)) throw err;
      if (attempt >= policy.attempts) {
        throw new AppError(
          'GITOPS_REGISTRY_UNAVAILABLE',
          `${what}: ${(err as Error).message} (after ${attempt} tries)`,
          {
            retryable: true,
            statusCode: 503,
            cause: err,
          },
        );
      }
      const hinted = err instanceof TransientError ? err.retryAfterMs : undefined;
      const delay = Math.min(policy.maxDelayMs, hinted ?? backoffDelay(policy, attempt));
      onRetry(err, delay, attempt);
      await sleep(delay);
    }
  }
}
