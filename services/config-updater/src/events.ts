import type { Application, Environment } from '@gitops/config';
import { type EventData, type GitopsEvent, createEvent } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { BumpResult } from './ports.js';

export const SERVICE = 'config-updater';

/** The pipeline an event belongs to: its id, application and source commit. */
export interface PipelineRef {
  pipelineId: string;
  app: string;
  commit: string;
}

const configFields = (app: Application, environment: Environment, image: string) => ({
  configRepoURL: app.config.repoURL,
  environment: environment.name,
  path: environment.path,
  image,
});

export function updatedEvent(
  pipeline: PipelineRef,
  target: { app: Application; environment: Environment; image: string; promotedFrom?: string },
  result: BumpResult,
): GitopsEvent<'config.updated'> {
  const data: EventData<'config.updated'> = {
    ...pipeline,
    ...configFields(target.app, target.environment, target.image),
    configCommit: result.configCommit,
    durationMs: result.durationMs,
    ...(result.batch ? { batch: result.batch } : {}),
    ...(target.promotedFrom ? { promotedFrom: target.promotedFrom } : {}),
  };
  return createEvent({ name: 'config.updated', service: SERVICE, data });
}

export function failedEvent(
  pipeline: PipelineRef,
  target: { app: Application; environment: Environment; image: string },
  err: unknown,
): GitopsEvent<'config.failed'> {
  const data: EventData<'config.failed'> = {
    ...pipeline,
    ...configFields(target.app, target.environment, target.image),
    error: { message: describeError(err) },
  };
  return createEvent({ name: 'config.failed', service: SERVICE, data });
}

type PromotionName = 'promotion.requested' | 'promotion.approved' | 'promotion.rejected';

export const promotionEvent = <N extends PromotionName>(
  name: N,
  pipeline: PipelineRef,
  promotion: { from: string; to: string; image: string; by?: string; reason?: string },
): GitopsEvent<N> =>
  createEvent({
    name,
    service: SERVICE,
    data: { ...pipeline, environment: promotion.to, ...promotion } as EventData<N>,
  });
