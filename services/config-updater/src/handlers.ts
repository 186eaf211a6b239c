import type { Application, Environment } from '@gitops/config';
import type { AnyEvent, GitopsEvent } from '@gitops/contracts';
import type { JobContext, StageHandlers } from '@gitops/queue';
import { type ImagePin, formatImageRef } from './edit/image-ref.js';
import { quarantined, unknownApp } from './errors.js';
import { type PipelineRef, failedEvent, promotionEvent, updatedEvent } from './events.js';
import type { ConfigWriter, PromotionState } from './ports.js';
import { nextEnvironment, pinnedImage, versionTagOf } from './promotion/next.js';

export interface UpdaterDeps {
  apps: ReadonlyMap<string, Application>;
  writer: ConfigWriter;
  state: PromotionState;
  now?: () => Date;
}

const appOf = (deps: UpdaterDeps, name: string) => {
  const app = deps.apps.get(name);
  if (!app) throw unknownApp(name);
  return app;
};

const imageOf = (pin: ImagePin) => `${pin.repository}@${pin.digest}`;

async function refuseQuarantined(deps: UpdaterDeps, pin: ImagePin): Promise<void> {
  if (await deps.state.quarantined(pin.digest)) throw quarantined(imageOf(pin));
}

/** image.pushed: the new digest pinned in the application's first environment. */
async function imagePushed(deps: UpdaterDeps, event: GitopsEvent<'image.pushed'>, ctx: JobContext) {
  const { pipelineId, commit, digest, tags } = event.data;
  const app = appOf(deps, event.data.app);
  const environment = app.config.environments[0]!;
  const tag = versionTagOf(tags);
  const pin: ImagePin = { repository: app.image.repository, digest, ...(tag ? { tag } : {}) };
  await refuseQuarantined(deps, pin);
  const result = await deps.writer.write({ app, environment, pin, pipelineId, commit });
  ctx.logger.info(
    { environment: environment.name, ...result },
    result.committed ? 'config committed' : 'config pinned already',
  );
  return [
    updatedEvent({ pipelineId, app: app.name, commit }, { app, environment, image: imageOf(pin) }, result),
  ];
}

/**
 * What the deployed config commit pins in `from`: the image to promote when the event names none,
 * and else the version tag that goes with its digest (a read that fails then only loses the tag).
 */
async function deployedState(
  deps: UpdaterDeps,
  app: Application,
  from: Environment,
  data: GitopsEvent<'deploy.succeeded'>['data'],
  ctx: JobContext,
) {
  if (!data.image) return deps.writer.read(app, from, data.configCommit);
  return deps.writer.read(app, from, data.configCommit).catch((err: unknown) => {
    ctx.logger.warn(
      { err, configCommit: data.configCommit },
      'the deployed pin could not be read; promoting without its tag',
    );
    return undefined;
  });
}

/**
 * deploy.succeeded: when the environment is healthy and the next one is reached by promotion, the
 * exact digest deployed here goes on: written at once (`auto`), or recorded to wait for a person
 * (`approval`). A quarantined digest goes nowhere.
 */
async function deploySucceeded(deps: UpdaterDeps, event: GitopsEvent<'deploy.succeeded'>, ctx: JobContext) {
  const { data } = event;
  const app = appOf(deps, data.app);
  const to = nextEnvironment(app, data.environment);
  if (data.health !== 'Healthy' || !to) return [];
  const from = app.config.environments.find((env) => env.name === data.environment)!;
  const deployed = await deployedState(deps, app, from, data, ctx);
  const reference = data.image ?? (deployed?.image?.digest ? formatImageRef(deployed.image) : '');
  const pinned = pinnedImage(reference);
  const commit = data.commit ?? deployed?.sourceCommit;
  if (!pinned || !commit) {
    ctx.logger.warn(
      { environment: from.name, configCommit: data.configCommit },
      'no pinned image (or source commit) to promote',
    );
    return [];
  }
  // The version tag goes on with the digest (docs: promotions keep the previous environment's tag).
  const tag = deployed?.image?.digest === pinned.digest ? deployed.image.tag : undefined;
  const pin: ImagePin = { ...pinned, ...(tag ? { tag } : {}) };
  const pipeline: PipelineRef = { pipelineId: data.pipelineId, app: app.name, commit };
  const promotion = { from: from.name, to: to.name, image: imageOf(pin) };
  if (await deps.state.quarantined(pin.digest)) {
    return [
      promotionEvent('promotion.rejected', pipeline, { ...promotion, reason: 'the image is quarantined' }),
    ];
  }
  if (to.promotion === 'approval') {
    const requestedAt = (deps.now?.() ?? new Date()).toISOString();
    const waiting = { app: app.name, ...promotion, ...(tag ? { tag } : {}), pipelineId: data.pipelineId };
    await deps.state.wait({ ...waiting, commit, requestedAt });
    return [promotionEvent('promotion.requested', pipeline, promotion)];
  }
  const bump = { app, environment: to, pin, pipelineId: data.pipelineId, commit, promotedFrom: from.name };
  const result = await deps.writer.write(bump);
  ctx.logger.info({ from: from.name, to: to.name, ...result }, 'promoted');
  return [
    updatedEvent(pipeline, { app, environment: to, image: promotion.image, promotedFrom: from.name }, result),
  ];
}

/** rollback.completed: the image rolled away from is quarantined. */
async function rollbackCompleted(
  deps: UpdaterDeps,
  event: GitopsEvent<'rollback.completed'>,
  ctx: JobContext,
) {
  const { app, environment, image, by, reason } = event.data;
  const pinned = pinnedImage(image);
  if (!pinned) {
    ctx.logger.warn({ image }, 'rollback.completed names no digest; nothing to quarantine');
    return [];
  }
  const at = (deps.now?.() ?? new Date(event.time)).toISOString();
  await deps.state.quarantine({
    digest: pinned.digest,
    image,
    app,
    environment,
    by,
    at,
    ...(reason ? { reason } : {}),
  });
  ctx.logger.info({ image, environment }, 'image quarantined');
  return [];
}

export const updaterHandlers = (deps: UpdaterDeps): StageHandlers => ({
  'image.pushed': (event, ctx) => imagePushed(deps, event, ctx),
  'deploy.succeeded': (event, ctx) => deploySucceeded(deps, event, ctx),
  'rollback.completed': (event, ctx) => rollbackCompleted(deps, event, ctx),
});

/** The config.failed of an event whose job has no attempts left: image.pushed, or an automatic promotion. */
function exhaustedTarget(deps: UpdaterDeps, consumed: AnyEvent) {
  if (consumed.name === 'image.pushed') {
    const { data } = consumed.event;
    const app = deps.apps.get(data.app);
    const environment = app?.config.environments[0];
    if (!app || !environment) return undefined;
    return { app, environment, image: `${app.image.repository}@${data.digest}`, commit: data.commit };
  }
  if (consumed.name === 'deploy.succeeded') {
    const { data } = consumed.event;
    const app = deps.apps.get(data.app);
    const environment = app && nextEnvironment(app, data.environment);
    if (!app || environment?.promotion !== 'auto' || !data.commit) return undefined;
    return { app, environment, image: data.image ?? app.image.repository, commit: data.commit };
  }
  return undefined;
}

/** config.failed once a write has no attempts left, or failed for a reason retrying cannot fix. */
export const updaterExhausted =
  (deps: UpdaterDeps) =>
  (consumed: AnyEvent, err: unknown): GitopsEvent[] => {
    const target = exhaustedTarget(deps, consumed);
    if (!target) return [];
    const pipeline = {
      pipelineId: consumed.event.data.pipelineId,
      app: target.app.name,
      commit: target.commit,
    };
    return [failedEvent(pipeline, target, err)];
  };
