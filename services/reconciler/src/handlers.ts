import type { Application, Environment } from '@gitops/config';
import type { AnyEvent, GitopsEvent } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import type { JobContext, StageHandlers } from '@gitops/queue';
import { UnrecoverableError } from '@gitops/queue';
import { unknownApp, unknownEnvironment } from './errors.js';
import { deployFailed, syncPipelineId } from './events.js';
import { type EngineDeps, type SyncAsk, syncOnce } from './sync/engine.js';

export interface HandlerDeps {
  apps: ReadonlyMap<string, Application>;
  engine: Omit<EngineDeps, 'publish'>;
}

function appAndEnvironment(deps: HandlerDeps, app: string, environment: string): [Application, Environment] {
  const found = deps.apps.get(app);
  if (!found) throw new UnrecoverableError(unknownApp(app).message);
  const env = found.config.environments.find((candidate) => candidate.name === environment);
  if (!env) throw new UnrecoverableError(unknownEnvironment(app, environment).message);
  return [found, env];
}

async function syncFor(deps: HandlerDeps, ask: SyncAsk, ctx: JobContext): Promise<GitopsEvent[]> {
  const answer = await syncOnce(
    { ...deps.engine, publish: (event) => ctx.publish(event) },
    { ...ask, signal: ctx.signal },
  );
  if (answer === 'superseded') {
    ctx.logger.info({ environment: ask.environment.name }, 'superseded by a newer sync request');
    return [];
  }
  return answer.events;
}

export const reconcilerHandlers = (deps: HandlerDeps): StageHandlers => ({
  'config.updated': async (event, ctx) => {
    const { app, environment, pipelineId, commit, configCommit } = event.data;
    const [found, env] = appAndEnvironment(deps, app, environment);
    return syncFor(
      deps,
      {
        app: found,
        environment: env,
        trigger: 'config.updated',
        pipeline: { pipelineId, commit },
        configCommit,
      },
      ctx,
    );
  },
  'config.pushed': async (event, ctx) => {
    const { app, environments, configCommit } = event.data;
    const events: GitopsEvent[] = [];
    for (const name of environments) {
      const [found, env] = appAndEnvironment(deps, app, name);
      const ask: SyncAsk = { app: found, environment: env, trigger: 'config.pushed', configCommit };
      events.push(...(await syncFor(deps, ask, ctx)));
    }
    return events;
  },
});

/** deploy.failed once a sync has no attempts left (the cluster stayed unreachable, git failed). */
export const reconcilerExhausted =
  (deps: HandlerDeps) =>
  (consumed: AnyEvent, err: unknown): GitopsEvent[] => {
    const fail = (
      app: string,
      environment: string,
      configCommit: string,
      pipeline?: { pipelineId: string; commit?: string },
    ) => {
      const identity = {
        pipelineId: pipeline?.pipelineId ?? syncPipelineId(app, configCommit, environment),
        app,
        ...(pipeline?.commit ? { commit: pipeline.commit } : {}),
        environment,
        trigger: consumed.name,
      };
      const result = {
        configCommit,
        applied: [],
        pruned: [],
        unchanged: 0,
        health: 'Unknown' as const,
        durationMs: 0,
      };
      return deployFailed(identity, result, describeError(err));
    };
    if (consumed.name === 'config.updated') {
      const { app, environment, configCommit, pipelineId, commit } = consumed.event.data;
      return [fail(app, environment, configCommit, { pipelineId, commit })];
    }
    if (consumed.name === 'config.pushed') {
      const { app, environments, configCommit } = consumed.event.data;
      return environments.filter((name) => deps.apps.get(app)).map((name) => fail(app, name, configCommit));
    }
    return [];
  };
