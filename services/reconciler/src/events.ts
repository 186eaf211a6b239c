import { type EventData, type GitopsEvent, createEvent } from '@gitops/contracts';
import type { HealthStatus } from './health/health.js';

export const SERVICE = 'reconciler';

/** Which pipeline a sync belongs to: the pipeline's own (config.updated) or the sync's (`<app>-sync-<sha>-<env>`). */
export interface SyncIdentity {
  pipelineId: string;
  app: string;
  commit?: string;
  environment: string;
  trigger: string;
}

export const syncPipelineId = (app: string, configCommit: string, environment: string, trigger = 'sync') =>
  `${app}-${trigger}-${configCommit.slice(0, 12)}-${environment}`;

const base = (identity: SyncIdentity, configCommit: string, image: string | undefined) => ({
  pipelineId: identity.pipelineId,
  app: identity.app,
  ...(identity.commit ? { commit: identity.commit } : {}),
  environment: identity.environment,
  configCommit,
  trigger: identity.trigger,
  ...(image ? { image } : {}),
});

export const deployStarted = (identity: SyncIdentity, configCommit: string, image?: string) =>
  createEvent({ name: 'deploy.started', service: SERVICE, data: base(identity, configCommit, image) });

export interface DeployResult {
  configCommit: string;
  image?: string;
  applied: string[];
  pruned: string[];
  unchanged: number;
  health: HealthStatus;
  durationMs: number;
}

const resultFields = (result: DeployResult) => ({
  applied: result.applied,
  pruned: result.pruned,
  unchanged: result.unchanged,
  health: result.health,
  durationMs: Math.max(0, Math.round(result.durationMs)),
});

export const deploySucceeded = (
  identity: SyncIdentity,
  result: DeployResult,
): GitopsEvent<'deploy.succeeded'> =>
  createEvent({
    name: 'deploy.succeeded',
    service: SERVICE,
    data: { ...base(identity, result.configCommit, result.image), ...resultFields(result) },
  });

export const deployFailed = (
  identity: SyncIdentity,
  result: DeployResult,
  message: string,
): GitopsEvent<'deploy.failed'> =>
  createEvent({
    name: 'deploy.failed',
    service: SERVICE,
    data: {
      ...base(identity, result.configCommit, result.image),
      ...resultFields(result),
      error: { message },
    },
  });

export const driftEvent = (
  name: 'drift.detected' | 'drift.resolved',
  data: Omit<EventData<'drift.detected'>, 'commit'>,
): GitopsEvent<'drift.detected' | 'drift.resolved'> => createEvent({ name, service: SERVICE, data });

export const rollbackCompleted = (data: EventData<'rollback.completed'>): GitopsEvent<'rollback.completed'> =>
  createEvent({ name: 'rollback.completed', service: SERVICE, data });
