import { type GitopsEvent, eventNameOfType } from '@gitops/contracts';
import type { JobsOptions, Queue } from 'bullmq';
import { jobIdFor } from './job-id.js';
import type { StageJobData, StageRunnerOptions } from './stage-options.js';

const HOUR_MS = 60 * 60 * 1000;

// BullMQ removes jobs by age only when a later job finishes; a retention of 0 means at once.
const keep = (ms: number) => (ms > 0 ? { age: Math.ceil(ms / 1000) } : true);

/** The options every job of a stage gets: its attempts, exponential backoff and retention. */
export function jobOptions(options: Partial<StageRunnerOptions>): JobsOptions {
  const {
    attempts = 3,
    backoffMs = 1000,
    keepCompletedMs = 24 * HOUR_MS,
    keepFailedMs = 7 * 24 * HOUR_MS,
  } = options;
  return {
    attempts,
    backoff: { type: 'exponential', delay: backoffMs },
    // Kept, not removed at once, so an event replayed within this time finds its job and is not redone.
    removeOnComplete: keep(keepCompletedMs),
    removeOnFail: keep(keepFailedMs),
  };
}

/**
 * Adds the job of an event, or finds the one it already started: the job id derives from the event
 * id, and BullMQ ignores an add whose id exists (waiting, running, or kept after it finished).
 */
export function enqueueEvent(
  queue: Queue<StageJobData>,
  event: GitopsEvent,
  carrier: Record<string, string> = {},
) {
  const name = eventNameOfType(event.type) ?? event.type;
  return queue.add(name, { event, carrier }, { jobId: jobIdFor(event) });
}
