import { AppError, describeError } from '@gitops/errors';
import { BuildFailure, builderErrors } from './errors.js';

/** A signal that aborts after `ms` with a `timeout` BuildFailure; `clear()` once the work is done. */
export function deadline(ms: number, what: string): { signal: AbortSignal; clear(): void } {
  const controller = new AbortController();
  const timer = setTimeout(
    () => controller.abort(new BuildFailure(`${what} timed out after ${formatMs(ms)}`, 'timeout')),
    ms,
  );
  return { signal: controller.signal, clear: () => clearTimeout(timer) };
}

export function formatMs(ms: number): string {
  if (ms % 3_600_000 === 0) return `${ms / 3_600_000}h`;
  if (ms % 60_000 === 0) return `${ms / 60_000}m`;
  if (ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}

/**
 * What an error thrown out of a build means. Once the build's signal is aborted its reason wins
 * (the superseding push, the deadline), attributed to the step it interrupted, whatever that step
 * threw; an abort with any
 * other reason is the runner shutting down, which hands the job to another worker. A retryable
 * AppError (git server away) is left to the runner's retries; anything else fails the build.
 */
export function failureOf(err: unknown, signal: AbortSignal, runningStep?: string): BuildFailure | AppError {
  if (signal.aborted) {
    if (!(signal.reason instanceof BuildFailure)) return builderErrors.interrupted();
    const step = runningStep ?? (err instanceof BuildFailure ? err.step : undefined);
    return step ? signal.reason.inStep(step) : signal.reason;
  }
  if (err instanceof BuildFailure) return err;
  if (err instanceof AppError && err.retryable) return err;
  return new BuildFailure(describeError(err), 'error');
}
