import type { AnyEvent } from '@gitops/contracts';

/** A compliance record before it is chained: who did what to which pipeline, from one event. */
export interface AuditEntry {
  at: string;
  app: string;
  pipelineId: string;
  kind: string;
  actor: string | null;
  eventId: string;
  details: Record<string, unknown>;
}

type Described = Pick<AuditEntry, 'kind' | 'actor' | 'details'>;

const compact = (details: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(details).filter(([, value]) => value !== undefined));

// The events a compliance review asks about; build.started and deploy.started add nothing to them.
function describe({ name, event }: AnyEvent): Described | undefined {
  const { data } = event;
  switch (name) {
    case 'source.received':
      return {
        kind: 'push',
        actor: event.data.pusher.email || event.data.pusher.name,
        details: { commit: data.commit, branch: event.data.branch, repoURL: event.data.repoURL },
      };
    case 'build.succeeded':
    case 'build.failed':
      return {
        kind: 'build',
        actor: null,
        details: {
          outcome: name === 'build.succeeded' ? 'succeeded' : 'failed',
          commit: data.commit,
          digest: name === 'build.succeeded' ? event.data.image.digest : undefined,
          baseImages: name === 'build.succeeded' ? event.data.image.baseImages : undefined,
          tests: event.data.tests,
          coverage: event.data.coverage,
          reason: name === 'build.failed' ? event.data.reason : undefined,
        },
      };
    case 'image.pushed':
      return {
        kind: 'image',
        actor: null,
        details: {
          repository: event.data.repository,
          digest: event.data.digest,
          tags: event.data.tags,
          provenance: event.data.provenance,
        },
      };
    case 'config.updated':
      return {
        kind: 'config',
        actor: null,
        details: {
          environment: event.data.environment,
          configCommit: event.data.configCommit,
          image: event.data.image,
        },
      };
    case 'config.pushed':
      return {
        kind: 'config-push',
        actor: event.data.pusher.email || event.data.pusher.name,
        details: { configCommit: event.data.configCommit, environments: event.data.environments },
      };
    case 'promotion.requested':
    case 'promotion.approved':
    case 'promotion.rejected':
      return {
        kind: 'promotion',
        actor: event.data.by ?? null,
        details: {
          decision: name.split('.')[1],
          from: event.data.from,
          to: event.data.to,
          image: event.data.image,
        },
      };
    case 'deploy.succeeded':
    case 'deploy.failed':
      return {
        kind: 'deploy',
        actor: null,
        details: {
          outcome: name === 'deploy.succeeded' ? 'succeeded' : 'failed',
          environment: event.data.environment,
          configCommit: event.data.configCommit,
          image: event.data.image,
          health: event.data.health,
          trigger: event.data.trigger,
        },
      };
    case 'rollback.completed':
      return {
        kind: 'rollback',
        actor: event.data.by,
        details: {
          environment: event.data.environment,
          from: event.data.from,
          to: event.data.to,
          configCommit: event.data.configCommit,
          image: event.data.image,
        },
      };
    case 'drift.detected':
    case 'drift.resolved':
      return {
        kind: 'drift',
        actor: null,
        details: {
          environment: event.data.environment,
          action: event.data.action,
          state: name.split('.')[1],
        },
      };
    default:
      return undefined;
  }
}

/** The ledger entry an event makes, or undefined for events compliance does not keep. */
export function auditEntryOf(event: AnyEvent): AuditEntry | undefined {
  const described = describe(event);
  if (!described) return undefined;
  const { data } = event.event;
  return {
    at: event.event.time,
    app: data.app,
    pipelineId: data.pipelineId,
    eventId: event.event.id,
    ...described,
    details: compact(described.details),
  };
}
