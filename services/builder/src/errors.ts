import { AppError } from '@gitops/errors';

/**
 * Why a build failed, as `build.failed` reports it in `reason` (docs/builder.md): a consumer tells a
 * red test from a cancelled or misconfigured build without parsing messages.
 */
export type FailureReason =
  | 'step-failed'
  | 'timeout'
  | 'superseded'
  | 'invalid-config'
  | 'source'
  | 'image'
  | 'error';

/**
 * A build that ran and failed: the expected outcome of a red test or a broken repository, reported
 * as `build.failed`, never retried. Anything else thrown out of a build is an infrastructure fault
 * (git server or Redis away) that the stage runner retries.
 */
export class BuildFailure extends Error {
  override name = 'BuildFailure';
  constructor(
    message: string,
    readonly reason: FailureReason,
    readonly step?: string,
  ) {
    super(message);
  }

  /** The same failure attributed to `step`, unless it already names one. */
  inStep(step: string): BuildFailure {
    return this.step ? this : new BuildFailure(this.message, this.reason, step);
  }
}

export const isBuildFailure = (err: unknown): err is BuildFailure => err instanceof BuildFailure;

/** Codes of the errors the builder throws to the stage runner (documented in docs/builder.md). */
export const builderErrors = {
  gitUnavailable: (message: string, cause: unknown) =>
    new AppError('GITOPS_BUILD_GIT_UNAVAILABLE', message, { retryable: true, cause }),
  interrupted: () =>
    new AppError('GITOPS_BUILD_INTERRUPTED', 'the builder is shutting down; the build runs again', {
      retryable: true,
    }),
  unsafeName: (name: string) => new AppError('GITOPS_BUILD_UNSAFE_NAME', `"${name}" cannot name a directory`),
};
