import { type EventData, type GitopsEvent, createEvent, pipelineOf } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { PushOutcome, PushPlan } from './ports.js';

export const SERVICE = 'image-pusher';

type BuildSucceeded = GitopsEvent<'build.succeeded'>;
type ImageEventName = 'image.pushed' | 'image.failed';

/** An image.* event of the build's pipeline: its pipeline fields, then the stage's own. */
const imageEvent = <N extends ImageEventName>(
  name: N,
  build: BuildSucceeded,
  fields: Omit<EventData<N>, 'pipelineId' | 'app' | 'commit'>,
): GitopsEvent<N> =>
  createEvent({ name, service: SERVICE, data: { ...pipelineOf(build.data), ...fields } as EventData<N> });

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
  return imageEvent('image.pushed', event, {
    repository: plan.repository,
    tags: outcome.tags,
    digest: outcome.subject.digest,
    bytesUploaded: outcome.bytesUploaded,
    bytesSkipped: outcome.bytesSkipped,
    durationMs: Math.round(extra.durationMs),
    buildNumber: extra.buildNumber,
    provenance: extra.provenance,
  });
}

/** image.failed; its durationMs runs from the build's end, so it covers every attempt. */
export function failedEvent(
  event: BuildSucceeded,
  repository: string,
  err: unknown,
  now: number,
): GitopsEvent<'image.failed'> {
  return imageEvent('image.failed', event, {
    repository,
    durationMs: Math.max(0, now - Date.parse(event.time)),
    error: { message: describeError(err) },
  });
}
