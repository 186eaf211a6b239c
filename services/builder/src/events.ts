import type { Application } from '@gitops/config';
import { type EventData, type GitopsEvent, createEvent, pipelineOf } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { BuildOutcome } from './build.js';
import type { BuildFailure } from './errors.js';
import type { Redactor } from './steps/redact.js';

export const SERVICE = 'builder';

type Source = EventData<'source.received'>;
type ResultEvent = GitopsEvent<'build.succeeded'> | GitopsEvent<'build.failed'>;
type Failure = Pick<BuildFailure, 'message' | 'reason' | 'step'>;

/** What was built: the application's repository (the one fetched), the pushed ref and branch. */
const sourceOf = (source: Source, application: Application | undefined) => ({
  repoURL: application?.source.repoURL ?? source.repoURL,
  ref: source.ref,
  branch: source.branch,
});

/** What both result events carry: the pipeline, timings, steps, reports, source and log. */
const resultFields = (
  source: Source,
  application: Application | undefined,
  outcome: Omit<BuildOutcome, 'failure'>,
  logRef: string | undefined,
) => ({
  ...pipelineOf(source),
  durationMs: outcome.durationMs,
  steps: outcome.steps,
  ...outcome.reports,
  source: sourceOf(source, application),
  ...(logRef ? { logRef } : {}),
});

export function startedEvent(source: Source, application: Application | undefined, logRef: string) {
  return createEvent({
    name: 'build.started',
    service: SERVICE,
    data: { ...pipelineOf(source), source: sourceOf(source, application), logRef },
  });
}

/** `build.failed` for a build that failed before or while it ran, its error message redacted. */
export function failedEvent(
  source: Source,
  application: Application | undefined,
  failure: Failure,
  outcome: Omit<BuildOutcome, 'failure'>,
  logRef: string | undefined,
  redactor: Redactor,
): GitopsEvent<'build.failed'> {
  const error = {
    message: redactor.redact(failure.message),
    ...(failure.step ? { step: failure.step } : {}),
  };
  return createEvent({
    name: 'build.failed',
    service: SERVICE,
    data: { ...resultFields(source, application, outcome, logRef), error, reason: failure.reason },
  });
}

/** The result event of a finished build: `build.succeeded` with its image, or `build.failed`. */
export function resultEvent(
  source: Source,
  application: Application,
  outcome: BuildOutcome,
  logRef: string,
  redactor: Redactor,
): ResultEvent {
  if (!outcome.image) {
    const failure = outcome.failure ?? { message: 'the build produced no image', reason: 'error' };
    return failedEvent(source, application, failure, outcome, logRef, redactor);
  }
  const { digest, size, layout, baseImages } = outcome.image;
  return createEvent({
    name: 'build.succeeded',
    service: SERVICE,
    data: {
      ...resultFields(source, application, outcome, logRef),
      image: { digest, size, layout, baseImages },
    },
  });
}

/** What the stage runner publishes once a build gave up on an error it could not report itself. */
export function exhaustedEvent(source: Source, err: unknown, logRef: string | undefined, redactor: Redactor) {
  const failure: Failure = { message: describeError(err), reason: 'error' };
  return failedEvent(source, undefined, failure, { durationMs: 0, steps: [], reports: {} }, logRef, redactor);
}
