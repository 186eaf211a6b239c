export { checkCatalog } from './catalog.js';
export { jobIdFor } from './job-id.js';
export { enqueueEvent, jobOptions } from './enqueue.js';
export { type StageRunner, createStageRunner } from './stage-runner.js';
export type {
  JobContext,
  RedisRole,
  StageHandler,
  StageHandlers,
  StageJobData,
  StageRunnerOptions,
} from './stage-options.js';
export { UnrecoverableError } from 'bullmq';
