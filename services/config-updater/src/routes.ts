import type { Application, Environment } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { formatImageRef } from './edit/image-ref.js';
import { nothingWaiting, quarantined, unknownApp, unknownEnvironment } from './errors.js';
import { promotionEvent, updatedEvent } from './events.js';
import type { ConfigWriter, PromotionState } from './ports.js';
import { pinnedImage } from './promotion/next.js';

export interface RouteDeps {
  apps: ReadonlyMap<string, Application>;
  writer: ConfigWriter;
  state: PromotionState;
  /** Publishes an event once (the ledger keeps a repeated id out). */
  publish(event: GitopsEvent): Promise<void>;
  /** Token names that may approve; undefined: every caller the guard let through. */
  approvers?: ReadonlySet<string>;
}

const AppParams = Type.Object({ name: Type.String({ pattern: '^[a-z0-9-]{1,63}$' }) });
const PromotionBody = Type.Object(
  {
    to: Type.String({ minLength: 1, maxLength: 63 }),
    reason: Type.Optional(Type.String({ maxLength: 1000 })),
  },
  { additionalProperties: false },
);
const DigestParams = Type.Object({ digest: Type.String({ pattern: '^sha256:[0-9a-f]{64}$' }) });

const appOf = (deps: RouteDeps, name: string) => {
  const app = deps.apps.get(name);
  if (!app) throw unknownApp(name);
  return app;
};

const environmentOf = (app: Application, name: string): Environment => {
  const env = app.config.environments.find((e) => e.name === name);
  if (!env) throw unknownEnvironment(app.name, name);
  return env;
};

const forbidden = (actor: string) =>
  new AppError('GITOPS_API_FORBIDDEN', `${actor} may not approve promotions (PROMOTION_APPROVERS)`, {
    statusCode: 403,
  });

/** Each environment as Git has it (image, config commit) and what waits to be promoted to it. */
async function environments(deps: RouteDeps, app: Application) {
  return Promise.all(
    app.config.environments.map(async (env) => {
      const state = await deps.writer.read(app, env);
      const waiting = await deps.state.waiting(app.name, env.name);
      return {
        name: env.name,
        path: env.path,
        branch: env.branch,
        promotion: env.promotion,
        configCommit: state.configCommit,
        image: state.image ? formatImageRef(state.image) : null,
        digest: state.image?.digest ?? null,
        waiting: waiting ?? null,
      };
    }),
  );
}

/** Writes the promotion waiting for `to`, approved by `by`; publishes promotion.approved and config.updated. */
async function approve(deps: RouteDeps, app: Application, to: Environment, by: string, reason?: string) {
  const waiting = await deps.state.waiting(app.name, to.name);
  if (!waiting) throw nothingWaiting(app.name, to.name);
  const pinned = pinnedImage(waiting.image);
  if (!pinned || (await deps.state.quarantined(pinned.digest))) throw quarantined(waiting.image);
  const { pipelineId, commit, from } = waiting;
  const result = await deps.writer.write({
    app,
    environment: to,
    pin: { ...pinned, ...(waiting.tag ? { tag: waiting.tag } : {}) },
    pipelineId,
    commit,
    promotedFrom: from,
    approvedBy: by,
  });
  const pipeline = { pipelineId, app: app.name, commit };
  const promotion = { from, to: to.name, image: waiting.image, by, ...(reason ? { reason } : {}) };
  await deps.publish(promotionEvent('promotion.approved', pipeline, promotion));
  const target = { app, environment: to, image: waiting.image, promotedFrom: from };
  await deps.publish(updatedEvent(pipeline, target, result));
  // Cleared last: an approval whose events did not go out is approved again (its commit found, not repeated).
  await deps.state.done(app.name, to.name, waiting.image);
  return { environment: to.name, image: waiting.image, from, by, configCommit: result.configCommit };
}

/** The config updater's API (CONTRACT section 8), behind the API guard the service gives it. */
export function registerUpdaterRoutes(app: FastifyInstance, deps: RouteDeps): void {
  app.get<{ Params: { name: string } }>(
    '/api/v1/apps/:name/environments',
    { schema: { params: AppParams } },
    async (request) => {
      const application = appOf(deps, request.params.name);
      return { app: application.name, environments: await environments(deps, application) };
    },
  );

  app.post<{ Params: { name: string }; Body: { to: string; reason?: string } }>(
    '/api/v1/apps/:name/promotions',
    { schema: { params: AppParams, body: PromotionBody } },
    async (request) => {
      const actor = request.actor ?? 'unknown';
      if (deps.approvers && !deps.approvers.has(actor)) throw forbidden(actor);
      const application = appOf(deps, request.params.name);
      const to = environmentOf(application, request.body.to);
      return approve(deps, application, to, actor, request.body.reason);
    },
  );

  app.get('/api/v1/quarantine', async () => ({ quarantine: await deps.state.quarantineList() }));

  app.delete<{ Params: { digest: string } }>(
    '/api/v1/quarantine/:digest',
    { schema: { params: DigestParams } },
    async (request) => {
      const { digest } = request.params;
      if (!(await deps.state.release(digest))) {
        throw new AppError('GITOPS_CONFIG_NOT_QUARANTINED', `${digest} is not quarantined`, {
          statusCode: 404,
        });
      }
      request.log.info({ digest, by: request.actor }, 'quarantine released');
      return { released: digest, by: request.actor };
    },
  );
}
