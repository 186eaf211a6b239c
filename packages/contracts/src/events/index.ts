import { BuildFailed, BuildStarted, BuildSucceeded } from './build.js';
import { ConfigFailed, ConfigPushed, ConfigUpdated } from './config.js';
import { DeployFailed, DeployStarted, DeploySucceeded } from './deploy.js';
import { DriftData } from './drift.js';
import { ImageFailed, ImagePushed } from './image.js';
import { PromotionApproved, PromotionRejected, PromotionRequested } from './promotion.js';
import { RollbackCompleted } from './rollback.js';
import { SourceReceived } from './source.js';

export * from './build.js';
export * from './config.js';
export * from './deploy.js';
export * from './drift.js';
export * from './image.js';
export * from './promotion.js';
export * from './rollback.js';
export * from './source.js';

/** Every event of the platform, keyed by `<stage>.<event>` as it appears in the subject. */
export const eventCatalog = {
  'source.received': SourceReceived,
  'build.started': BuildStarted,
  'build.succeeded': BuildSucceeded,
  'build.failed': BuildFailed,
  'image.pushed': ImagePushed,
  'image.failed': ImageFailed,
  'config.updated': ConfigUpdated,
  'config.failed': ConfigFailed,
  'config.pushed': ConfigPushed,
  'promotion.requested': PromotionRequested,
  'promotion.approved': PromotionApproved,
  'promotion.rejected': PromotionRejected,
  'deploy.started': DeployStarted,
  'deploy.succeeded': DeploySucceeded,
  'deploy.failed': DeployFailed,
  'drift.detected': DriftData,
  'drift.resolved': DriftData,
  'rollback.completed': RollbackCompleted,
} as const;

export type EventName = keyof typeof eventCatalog;
export const eventNames = Object.keys(eventCatalog) as EventName[];
export const isEventName = (name: string): name is EventName => Object.hasOwn(eventCatalog, name);
