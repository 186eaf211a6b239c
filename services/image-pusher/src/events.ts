import { type GitopsEvent, createEvent, pipelineOf } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { PushOutcome, PushPlan } from './ports.js';

export const SERVICE = 'image-pusher';

type BuildSucceeded = GitopsEvent<'build.succeeded'>;

export function pushedEvent(
  event: BuildSucceeded,
  plan: PushPlan,
  outcome: PushOutcome,
  extra: {
    buildNumber: number;
    durationMs: number;
    provenance: { tag: string; digest: string; signed: boolean };
  },
): GitopsEvent<'image.pushed'> {
  return createEvent({
    name: 'image.pushed',
    service: SERVICE,
    data: {
      ...pipelineOf(event.data),
      repository: plan.repository,
      tags: outcome.tags,
      digest: outcome.subject.digest,
      bytesUploaded: outcome.bytesUploaded,
      bytesSkipped: outcome.bytesSkipped,
      durationMs: Math.round(extra.durationMs),
      buildNumber: extra.buildNumber,
      provenance: extra.provenance,
    },
  });
}

/** image.failed; its durationMs runs from the build's end, so it covers every attempt. */
export function failedEvent(
  event: BuildSucceeded,
  repository: string,
  err: unknown,
  now: number,
): GitopsEvent<'image.failed'> {
  return createEvent({
    name: 'image.failed',
    service: SERVICE,
    data: {
      ...pipelineOf(event.data),
      repository,
      durationMs: Math.max(0, now - Date.parse(event.time)),
      error: { message: describeError(err) },
    },
  });
}
