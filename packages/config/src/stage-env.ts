import { type ConfigOf, env } from './env.js';

/**
 * The variables of every service that works off a stage queue (docs/architecture.md): how its jobs
 * are retried, how fast a dead worker's job is taken over, how long finished jobs are remembered.
 */
export const stageEnv = {
  JOB_ATTEMPTS: env.int(3, 1, 100).describe('attempts per job before the stage publishes its failure event'),
  JOB_BACKOFF: env.duration('1s').describe("the first retry's delay; it doubles after each attempt"),
  // Short, so a dead worker's job is taken over within seconds: the lock is renewed every half of its
  // duration, so only an event loop blocked for 5 s loses a live job (docs/architecture.md).
  JOB_LOCK_DURATION: env
    .duration('10s')
    .describe("a worker that stops renewing a job's lock this long loses the job to another worker"),
  JOB_STALLED_INTERVAL: env.duration('5s').describe('how often workers look for jobs whose lock expired'),
  JOB_KEEP_COMPLETED: env
    .duration('24h')
    .describe('finished jobs are remembered this long, so a replayed event is not done again'),
  JOB_KEEP_FAILED: env.duration('7d').describe('failed jobs are kept this long for inspection'),
  QUEUE_PREFIX: env
    .string('bull')
    .describe(
      'the Redis key prefix of the stage queues: several platforms (or test runs) can share one Redis',
    ),
};

export type StageConfig = ConfigOf<typeof stageEnv>;
