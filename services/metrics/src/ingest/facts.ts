import type { AnyEvent } from '@gitops/contracts';
import { failureClass } from './failure-class.js';

/** What one event says about its pipeline's row (latest event wins for status and stage). */
export interface PipelinePatch {
  pipeline_id: string;
  app: string;
  /** When the pipeline was first seen, and when this fact happened. */
  started_at: string;
  at: string;
  status: 'running' | 'succeeded' | 'failed';
  stage: string;
  branch?: string;
  commit?: string;
  commit_time?: string;
  pusher?: string;
  digest?: string;
}

/** What one event says about one stage of its pipeline. */
export interface StageFact {
  pipeline_id: string;
  stage: string;
  environment: string;
  started_at?: string;
  ended_at?: string;
  outcome: string;
  detail: Record<string, unknown>;
}

export interface BuildFact {
  pipeline_id: string;
  app: string;
  branch?: string;
  started_at?: string;
  finished_at?: string;
  outcome: string;
  duration_ms?: number;
  reason?: string;
  tests_total?: number;
  tests_failed?: number;
  tests_skipped?: number;
  coverage?: number;
}

export interface DeploymentFact {
  id: string;
  pipeline_id: string;
  app: string;
  environment: string;
  outcome: 'succeeded' | 'failed';
  finished_at: string;
  commit?: string;
  config_commit: string;
  trigger?: string;
  image?: string;
}

export interface RollbackFact {
  app: string;
  environment: string;
  from: string;
}

export interface EventFacts {
  pipeline?: PipelinePatch;
  stage?: StageFact;
  build?: BuildFact;
  deployment?: DeploymentFact;
  rollback?: RollbackFact;
}

const before = (time: string, ms: number) => new Date(Date.parse(time) - ms).toISOString();

/** What a finished stage of `durationMs` ending at `time` looks like. */
const finished = (time: string, durationMs: number, outcome: string, detail: Record<string, unknown>) => ({
  started_at: before(time, durationMs),
  ended_at: time,
  outcome,
  detail,
});

const statusOf = (outcome: string): PipelinePatch['status'] =>
  outcome === 'failed' || outcome === 'rejected'
    ? 'failed'
    : outcome === 'running' || outcome === 'approved'
      ? 'running'
      : 'succeeded';

/** The derived rows one event updates: pure, so the same event always says the same thing. */
export function factsOf({ name, event }: AnyEvent): EventFacts {
  const { pipelineId: pipeline_id, app } = event.data;
  const time = event.time;
  const environment = 'environment' in event.data ? event.data.environment : '';
  const stageFact = (stage: string, fact: Omit<StageFact, 'pipeline_id' | 'stage' | 'environment'>) => ({
    pipeline: {
      pipeline_id,
      app,
      started_at: time,
      at: time,
      status: statusOf(fact.outcome),
      stage: environment ? `${stage}:${environment}` : stage,
    },
    stage: { pipeline_id, stage, environment, ...fact },
  });
  switch (name) {
    case 'source.received': {
      const { data } = event;
      const facts = stageFact('source', {
        started_at: data.headCommit.timestamp ?? time,
        ended_at: time,
        outcome: 'succeeded',
        detail: {
          commit: data.commit,
          branch: data.branch,
          pusher: data.pusher.email,
          message: data.headCommit.message,
        },
      });
      const pipeline: PipelinePatch = {
        ...facts.pipeline,
        status: 'running',
        branch: data.branch,
        commit: data.commit,
        commit_time: data.headCommit.timestamp ?? time,
        pusher: data.pusher.email || data.pusher.name,
      };
      return { ...facts, pipeline };
    }
    case 'build.started':
      return {
        ...stageFact('build', { started_at: time, outcome: 'running', detail: {} }),
        build: { pipeline_id, app, started_at: time, outcome: 'running' },
      };
    case 'build.succeeded':
    case 'build.failed': {
      const { data } = event;
      const outcome = name === 'build.succeeded' ? 'succeeded' : 'failed';
      const reason =
        name === 'build.failed' ? failureClass(event.data.reason, data.tests?.failed) : undefined;
      const coverage = data.coverage?.lines ?? data.coverage?.statements;
      const digest = name === 'build.succeeded' ? event.data.image.digest : undefined;
      const facts = stageFact(
        'build',
        finished(time, data.durationMs, outcome, { reason, tests: data.tests, coverage, digest }),
      );
      return {
        ...facts,
        build: {
          pipeline_id,
          app,
          ...(data.source?.branch ? { branch: data.source.branch } : {}),
          started_at: before(time, data.durationMs),
          finished_at: time,
          outcome,
          duration_ms: data.durationMs,
          ...(reason ? { reason } : {}),
          ...(data.tests
            ? {
                tests_total: data.tests.total,
                tests_failed: data.tests.failed,
                tests_skipped: data.tests.skipped,
              }
            : {}),
          ...(coverage === undefined ? {} : { coverage }),
        },
      };
    }
    case 'image.pushed': {
      const { data } = event;
      const facts = stageFact(
        'image',
        finished(time, data.durationMs, 'succeeded', {
          digest: data.digest,
          repository: data.repository,
          tags: data.tags,
        }),
      );
      return { ...facts, pipeline: { ...facts.pipeline, digest: data.digest } };
    }
    case 'image.failed':
      return stageFact(
        'image',
        finished(time, event.data.durationMs, 'failed', { error: event.data.error.message }),
      );
    case 'config.updated': {
      const detail = {
        configCommit: event.data.configCommit,
        image: event.data.image,
        promotedFrom: event.data.promotedFrom,
      };
      const { durationMs } = event.data;
      return stageFact(
        'config',
        durationMs === undefined
          ? { ended_at: time, outcome: 'succeeded', detail }
          : finished(time, durationMs, 'succeeded', detail),
      );
    }
    case 'config.failed':
      return stageFact('config', {
        ended_at: time,
        outcome: 'failed',
        detail: { error: event.data.error.message },
      });
    case 'config.pushed':
      return stageFact('config-push', {
        ended_at: time,
        outcome: 'succeeded',
        detail: { configCommit: event.data.configCommit, pusher: event.data.pusher.email },
      });
    case 'promotion.requested':
      return stageFact('promotion', {
        started_at: time,
        outcome: 'running',
        detail: { from: event.data.from },
      });
    case 'promotion.approved':
    case 'promotion.rejected':
      return stageFact('promotion', {
        ended_at: time,
        outcome: name === 'promotion.approved' ? 'approved' : 'rejected',
        detail: { by: event.data.by, from: event.data.from },
      });
    case 'deploy.started':
      return stageFact('deploy', { started_at: time, outcome: 'running', detail: {} });
    case 'deploy.succeeded':
    case 'deploy.failed': {
      const { data } = event;
      const outcome = name === 'deploy.succeeded' ? 'succeeded' : 'failed';
      return {
        ...stageFact(
          'deploy',
          finished(time, data.durationMs, outcome, {
            health: data.health,
            configCommit: data.configCommit,
            trigger: data.trigger,
          }),
        ),
        deployment: {
          id: event.id,
          pipeline_id,
          app,
          environment: data.environment,
          outcome,
          finished_at: time,
          config_commit: data.configCommit,
          ...(data.commit ? { commit: data.commit } : {}),
          ...(data.trigger ? { trigger: data.trigger } : {}),
          ...(data.image ? { image: data.image } : {}),
        },
      };
    }
    case 'rollback.completed':
      return {
        ...stageFact('rollback', {
          ended_at: time,
          outcome: 'succeeded',
          detail: { from: event.data.from, to: event.data.to, by: event.data.by, image: event.data.image },
        }),
        rollback: { app, environment: event.data.environment, from: event.data.from },
      };
    default:
      // drift.*: a reconcile pass, not a pipeline; kept as a raw event and in the ledger only.
      return {};
  }
}
