import type { StageConfig } from '@gitops/config';
import type { StageRunnerOptions } from '@gitops/queue';

type Tuning = Pick<
  StageRunnerOptions,
  | 'attempts'
  | 'backoffMs'
  | 'lockDurationMs'
  | 'stalledIntervalMs'
  | 'keepCompletedMs'
  | 'keepFailedMs'
  | 'prefix'
>;

/** The stage runner's retry, lock and retention settings from the `stageEnv` variables a service reads. */
export function stageTuning(config: Partial<StageConfig>): Tuning {
  const tuning: Tuning = {};
  if (config.JOB_ATTEMPTS !== undefined) tuning.attempts = config.JOB_ATTEMPTS;
  if (config.JOB_BACKOFF !== undefined) tuning.backoffMs = config.JOB_BACKOFF;
  if (config.JOB_LOCK_DURATION !== undefined) tuning.lockDurationMs = config.JOB_LOCK_DURATION;
  if (config.JOB_STALLED_INTERVAL !== undefined) tuning.stalledIntervalMs = config.JOB_STALLED_INTERVAL;
  if (config.JOB_KEEP_COMPLETED !== undefined) tuning.keepCompletedMs = config.JOB_KEEP_COMPLETED;
  if (config.JOB_KEEP_FAILED !== undefined) tuning.keepFailedMs = config.JOB_KEEP_FAILED;
  if (config.QUEUE_PREFIX !== undefined) tuning.prefix = config.QUEUE_PREFIX;
  return tuning;
}
