import { type GitopsEvent, createEvent } from '@gitops/contracts';
import { TEST_SHA } from '@gitops/testing';

/** deploy.succeeded as the reconciler publishes it (packages/contracts/src/events/deploy.ts). */
export const deploySucceeded = (facts: {
  app: string;
  pipelineId: string;
  environment: string;
  configCommit: string;
  image?: string;
  commit?: string;
  health?: 'Healthy' | 'Degraded';
}): GitopsEvent<'deploy.succeeded'> =>
  createEvent({
    name: 'deploy.succeeded',
    service: 'reconciler',
    data: {
      pipelineId: facts.pipelineId,
      app: facts.app,
      ...(facts.commit === undefined ? { commit: TEST_SHA } : facts.commit ? { commit: facts.commit } : {}),
      environment: facts.environment,
      configCommit: facts.configCommit,
      trigger: 'config.updated',
      ...(facts.image ? { image: facts.image } : {}),
      applied: ['apps/v1/Deployment/hello'],
      pruned: [],
      unchanged: 0,
      health: facts.health ?? 'Healthy',
      durationMs: 1200,
    },
  });

/** rollback.completed as the reconciler publishes it (packages/contracts/src/events/rollback.ts). */
export const rollbackCompleted = (facts: {
  app: string;
  pipelineId: string;
  environment: string;
  image: string;
  configCommit: string;
}): GitopsEvent<'rollback.completed'> =>
  createEvent({
    name: 'rollback.completed',
    service: 'reconciler',
    data: {
      pipelineId: facts.pipelineId,
      app: facts.app,
      environment: facts.environment,
      from: facts.configCommit,
      to: facts.configCommit,
      configCommit: facts.configCommit,
      image: facts.image,
      by: 'reconciler',
      reason: 'Degraded after sync',
    },
  });
