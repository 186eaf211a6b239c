import type { Application, Environment } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { AppError, describeError } from '@gitops/errors';
import {
  type SyncIdentity,
  deployFailed,
  deployStarted,
  deploySucceeded,
  syncPipelineId,
} from '../events.js';
import type { EnvironmentStatus } from '../ports.js';
import { type ReconcileDeps, type SyncOutcome, type Trigger, reconcile } from './reconcile.js';

/** A sync asked for: by an event, the API, the resync task, drift or a rollback. */
export interface SyncAsk {
  app: Application;
  environment: Environment;
  trigger: Trigger;
  /** The pipeline the sync belongs to (config.updated, or a config.pushed of the config updater's commit). */
  pipeline?: { pipelineId: string; commit?: string };
  /** The config commit the trigger named: deploy.failed names it when rendering never got as far. */
  configCommit?: string;
  signal?: AbortSignal;
}

export interface EngineDeps extends ReconcileDeps {
  /** Publishes an event once (the stage job's `ctx.publish`, or the bus with the ledger). */
  publish(event: GitopsEvent): Promise<void>;
  /** Told when a sync starts and ends applying, and what it applied (drift is measured against it). */
  onSyncing?(ask: SyncAsk, active: boolean): void;
  onSynced?(ask: SyncAsk, outcome: SyncOutcome): void;
  /** Told of every pass: its trigger, result and duration (metrics). */
  onPass?(trigger: Trigger, result: 'applied' | 'noop' | 'failed' | 'error', durationMs: number): void;
  /** Called after a sync that turned Degraded (automatic rollback). */
  onDegraded?(ask: SyncAsk, outcome: SyncOutcome, status: EnvironmentStatus): Promise<void>;
}

export type SyncAnswer = { events: GitopsEvent[]; outcome?: SyncOutcome } | 'superseded';

// Triggers that always end in deploy.succeeded/failed, delta or not: a pipeline waits for them.
const REPORTING: ReadonlySet<Trigger> = new Set(['config.updated', 'api', 'rollback']);
// Periodic and drift passes never supersede a waiting request; the others do.
const BACKGROUND: ReadonlySet<Trigger> = new Set(['resync', 'drift']);

/**
 * The pipeline a config commit belongs to, read from the trailers the config updater writes
 * (`Pipeline-Id`, `Source-Commit`): whatever starts the sync that deploys it (its config.updated, the
 * same push seen as config.pushed, a resync), the deploy events carry the pipeline's ids, and
 * JetStream stores each once.
 */
async function pipelineOfCommit(
  deps: EngineDeps,
  ask: SyncAsk,
  configCommit: string,
): Promise<SyncAsk['pipeline']> {
  // The branch may have moved past the trigger's commit: the events then belong to the head's pipeline.
  if (ask.pipeline && (!ask.configCommit || ask.configCommit === configCommit)) return ask.pipeline;
  const trailers = await deps.repo
    .trailers(ask.app.name, ask.environment.branch, configCommit)
    .catch(() => ({}) as Record<string, string>);
  const pipelineId = trailers['Pipeline-Id'];
  if (!pipelineId || !/^[A-Za-z0-9._-]{1,128}$/.test(pipelineId)) return undefined;
  const commit = trailers['Source-Commit'];
  return { pipelineId, ...(commit && /^[0-9a-f]{40}$/.test(commit) ? { commit } : {}) };
}

const identityOf = (ask: SyncAsk, configCommit: string): SyncIdentity => ({
  pipelineId: ask.pipeline?.pipelineId ?? syncPipelineId(ask.app.name, configCommit, ask.environment.name),
  app: ask.app.name,
  ...(ask.pipeline?.commit ? { commit: ask.pipeline.commit } : {}),
  environment: ask.environment.name,
  trigger: ask.trigger,
});

async function statusAfter(
  deps: EngineDeps,
  ask: SyncAsk,
  patch: Partial<EnvironmentStatus>,
): Promise<EnvironmentStatus> {
  const previous = await deps.store.status(ask.app.name, ask.environment.name);
  const { message: _previousMessage, ...kept } = previous ?? {};
  // A message explains the latest outcome only: one from an earlier failure does not stay.
  const status: EnvironmentStatus = {
    environment: ask.environment.name,
    sync: 'Unknown',
    health: 'Unknown',
    drift: [],
    resources: [],
    ...kept,
    ...patch,
    updatedAt: new Date().toISOString(),
  };
  await deps.store.saveStatus(ask.app.name, status);
  return status;
}

async function run(
  deps: EngineDeps,
  ask: SyncAsk,
): Promise<{ events: GitopsEvent[]; outcome?: SyncOutcome }> {
  const started = Date.now();
  let identity: SyncIdentity | undefined;
  let configCommit = ask.configCommit;
  const reporting = REPORTING.has(ask.trigger) || ask.pipeline !== undefined;
  deps.onSyncing?.(ask, true);
  try {
    const outcome = await reconcile(
      deps,
      ask,
      async (state) => {
        configCommit = state.configCommit;
        const pipeline = await pipelineOfCommit(deps, ask, state.configCommit);
        identity = identityOf({ ...ask, ...(pipeline ? { pipeline } : {}) }, state.configCommit);
        await deps.publish(deployStarted(identity, state.configCommit, state.image));
      },
      { alwaysReport: reporting },
    );
    deps.onSynced?.(ask, outcome);
    const health = outcome.health;
    const record = await statusAfter(deps, ask, {
      sync: 'Synced',
      health: health.health,
      ...(health.message && health.health !== 'Healthy' ? { message: health.message } : {}),
      configCommit: outcome.configCommit,
      ...(outcome.image ? { image: outcome.image } : {}),
      ...(health.health === 'Healthy'
        ? { healthyCommit: outcome.configCommit, ...(outcome.image ? { healthyImage: outcome.image } : {}) }
        : {}),
      resources: health.resources,
      ...(outcome.noop ? {} : { drift: [] }),
    });
    const passResult = health.health !== 'Healthy' ? 'failed' : outcome.noop ? 'noop' : 'applied';
    deps.onPass?.(ask.trigger, passResult, Date.now() - started);
    if (!identity) return { events: [], outcome };
    const result = { ...outcome, health: health.health, durationMs: Date.now() - started };
    if (health.health === 'Healthy') return { events: [deploySucceeded(identity, result)], outcome };
    if (!outcome.noop) await deps.onDegraded?.(ask, outcome, record);
    return {
      events: [deployFailed(identity, result, health.message ?? `health is ${health.health}`)],
      outcome,
    };
  } catch (err) {
    const retryable = !(err instanceof AppError) || err.retryable;
    configCommit ??= (err as { configCommit?: string }).configCommit;
    deps.onPass?.(ask.trigger, retryable ? 'error' : 'failed', Date.now() - started);
    await statusAfter(deps, ask, {
      ...(retryable ? { sync: 'Unknown', health: 'Unknown' } : { sync: 'OutOfSync' }),
      message: describeError(err),
    });
    // With no cluster configured at all nothing was deployed, so nothing failed: the status says
    // Unknown and why, and the first resync after a restart with a cluster applies the branch head.
    if (!deps.cluster) return { events: [] };
    if (retryable || !configCommit) throw err;
    if (!identity && !reporting && ask.trigger !== 'config.pushed') return { events: [] };
    identity ??= identityOf(ask, configCommit);
    const result = {
      configCommit,
      applied: [],
      pruned: [],
      unchanged: 0,
      health: 'Degraded' as const,
      durationMs: Date.now() - started,
    };
    return { events: [deployFailed(identity, result, describeError(err))] };
  } finally {
    deps.onSyncing?.(ask, false);
  }
}

/**
 * One sync, one at a time per application environment across replicas: a request waiting for the
 * lock gives way when a newer one arrives (it would apply the same branch head), and periodic or
 * drift passes never push a waiting request aside.
 */
export async function syncOnce(deps: EngineDeps, ask: SyncAsk): Promise<SyncAnswer> {
  const { name } = ask.app;
  const environment = ask.environment.name;
  const ticket = BACKGROUND.has(ask.trigger)
    ? await deps.store.latestTicket(name, environment)
    : await deps.store.ticket(name, environment);
  return deps.store.withLock(
    name,
    environment,
    () => run(deps, ask),
    async () => (await deps.store.latestTicket(name, environment)) > ticket,
  );
}
