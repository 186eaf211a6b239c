import type { Application, Environment } from '@gitops/config';
import { AppError } from '@gitops/errors';
import type { Logger } from '@gitops/telemetry';
import { FIELD_MANAGER } from '../adapters/field-manager.js';
import { clusterUnavailable } from '../errors.js';
import type { HealthStatus } from '../health/health.js';
import { definedAmong, definedKinds, withDefinedKinds } from '../manifests/crds.js';
import { guard } from '../manifests/guard.js';
import { appImage } from '../manifests/image.js';
import { type KubeObject, type ObjectRef, keyOf, refOf } from '../manifests/objects.js';
import { applyBatches } from '../manifests/order.js';
import { builtInScope } from '../manifests/scope.js';
import type { Cluster, ConfigRepo, StateStore } from '../ports.js';
import { type HealthReport, currentHealth, waitHealthy } from './health-wait.js';
import { liveObjects } from './live.js';
import { type SyncPlan, isNoOp, planSync } from './plan.js';
import type { RenderCache } from './render-cache.js';

export type Trigger = 'config.updated' | 'config.pushed' | 'resync' | 'api' | 'drift' | 'rollback';

export interface ReconcileDeps {
  cluster: Cluster | undefined;
  /** Why there is no cluster (no kubeconfig), when `cluster` is undefined. */
  noClusterReason?: string;
  repo: ConfigRepo;
  store: StateStore;
  renders: RenderCache;
  maxObjects: number;
  healthTimeoutMs: number;
  healthPollMs: number;
  logger: Logger;
  /** Aborted when the service stops: health waits end at once instead of holding the shutdown. */
  stopping?: AbortSignal;
}

export interface SyncRequest {
  app: Application;
  environment: Environment;
  trigger: Trigger;
  signal?: AbortSignal;
  /** Take fields over from other managers (self-heal: Git wins), besides syncPolicy.forceConflicts. */
  force?: boolean;
}

/** What the rendered Git state of an environment is at its branch head. */
export interface DesiredState {
  configCommit: string;
  desired: KubeObject[];
  image?: string;
}

export interface SyncOutcome extends DesiredState {
  noop: boolean;
  applied: string[];
  pruned: string[];
  unchanged: number;
  health: HealthReport;
  plan: SyncPlan;
}

const owner = (request: SyncRequest) => ({ app: request.app.name, environment: request.environment.name });

/** The cluster, or the reason there is none, as a retryable error. */
export function reachable(deps: ReconcileDeps): Cluster {
  if (!deps.cluster) throw clusterUnavailable(deps.noClusterReason ?? 'no cluster configured');
  return deps.cluster;
}

/** Checks out the environment's branch head and renders it, guard rails applied. */
export async function desiredState(deps: ReconcileDeps, request: SyncRequest): Promise<DesiredState> {
  const { app, environment } = request;
  const checkout = await deps.repo.checkout(app.name, environment.branch);
  try {
    const objects = await deps.renders.render(checkout.dir, environment.path, checkout.commit);
    if (deps.cluster?.state().reachable) await deps.cluster.discover(objects).catch(() => undefined);
    const desired = guard(objects, {
      owner: owner(request),
      destination: environment.destination,
      scopeOf: withDefinedKinds(definedKinds(objects), deps.cluster?.scopeOf() ?? builtInScope),
      maxObjects: deps.maxObjects,
    });
    const image = appImage(desired, app.image.repository);
    return { configCommit: checkout.commit, desired, ...(image ? { image } : {}) };
  } catch (err) {
    // deploy.failed names the commit that failed to render.
    throw Object.assign(err as Error, { configCommit: checkout.commit });
  }
}

/** Desired against live: what a sync would do now. */
export async function planFor(
  deps: ReconcileDeps,
  request: SyncRequest,
  state: DesiredState,
): Promise<SyncPlan> {
  const cluster = reachable(deps);
  const inventory = await deps.store.inventory(request.app.name, request.environment.name);
  const live = await liveObjects(cluster, [...state.desired.map(refOf), ...inventory]);
  return planSync({
    desired: state.desired,
    live,
    inventory,
    owner: owner(request),
    ignoreDifferences: request.app.ignoreDifferences,
    manager: FIELD_MANAGER,
  });
}

async function applyAll(cluster: Cluster, objects: KubeObject[], force: boolean): Promise<void> {
  // Everything is dry-run first, so one invalid object stops the sync before anything changed; but
  // custom resources whose CRD comes with this sync cannot be: the server learns their kind only then.
  const defined = definedKinds(objects);
  for (const object of objects.filter((o) => !definedAmong(defined, o))) {
    await cluster.apply(object, { dryRun: true, force });
  }
  for (const batch of applyBatches(objects)) {
    for (const object of batch) await withRetries(() => cluster.apply(object, { dryRun: false, force }));
  }
}

async function withRetries<T>(work: () => Promise<T>, attempts = 3): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await work();
    } catch (err) {
      const retryable = !(err instanceof AppError) || err.retryable;
      if (!retryable || attempt >= attempts) throw err;
      await new Promise((resolve) => setTimeout(resolve, 200 * 2 ** attempt));
    }
  }
}

/** Deletes what the plan prunes; answers the keys deleted and the refs whose delete was not confirmed. */
async function prune(cluster: Cluster, refs: readonly ObjectRef[], logger: Logger) {
  const pruned: string[] = [];
  const failed: ObjectRef[] = [];
  for (const ref of refs) {
    try {
      await cluster.remove(ref);
      pruned.push(keyOf(ref));
    } catch (err) {
      logger.warn(
        { resource: keyOf(ref), err: (err as Error).message },
        'prune not confirmed; kept in the inventory',
      );
      failed.push(ref);
    }
  }
  return { pruned, failed };
}

/**
 * One reconcile pass: render the branch head, diff it against the informer caches, and when there is a
 * delta dry-run, apply in order, prune, record the inventory and wait for health. `onStart` runs once
 * a delta is found (deploy.started). A pass with no delta writes nothing.
 */
export async function reconcile(
  deps: ReconcileDeps,
  request: SyncRequest,
  onStart: (state: DesiredState) => Promise<void>,
  options: { alwaysReport?: boolean } = {},
): Promise<SyncOutcome> {
  const cluster = reachable(deps);
  const state = await desiredState(deps, request);
  const plan = await planFor(deps, request, state);
  const pruning = request.app.syncPolicy.prune;
  const unchanged = plan.resources.filter((resource) => resource.action === 'unchanged').length;
  if (isNoOp(plan, pruning)) {
    if (options.alwaysReport) await onStart(state);
    const health = options.alwaysReport
      ? await waitHealthy(cluster, state.desired, {
          timeoutMs: deps.healthTimeoutMs,
          pollMs: deps.healthPollMs,
          ...signalOf(deps, request),
        })
      : await currentHealth(cluster, state.desired);
    return { ...state, noop: true, applied: [], pruned: [], unchanged, health, plan };
  }
  await onStart(state);
  const changed = plan.resources.filter((resource) => resource.action !== 'unchanged');
  await applyAll(
    cluster,
    changed.map((resource) => resource.desired),
    request.app.syncPolicy.forceConflicts || request.force === true,
  );
  const { pruned, failed } = pruning
    ? await prune(cluster, plan.prune, deps.logger)
    : { pruned: [], failed: [] };
  const kept = pruning ? failed : [...plan.prune, ...plan.keep.map((entry) => entry.ref)];
  await deps.store.saveInventory(request.app.name, request.environment.name, [
    ...state.desired.map(refOf),
    ...kept,
  ]);
  const health = await waitHealthy(cluster, state.desired, {
    timeoutMs: deps.healthTimeoutMs,
    pollMs: deps.healthPollMs,
    ...signalOf(deps, request),
  });
  return {
    ...state,
    noop: false,
    applied: changed.map((resource) => resource.key),
    pruned,
    unchanged,
    health,
    plan,
  };
}

const signalOf = (deps: ReconcileDeps, request: SyncRequest) => {
  const signals = [request.signal, deps.stopping].filter((signal): signal is AbortSignal => !!signal);
  return signals.length > 0 ? { signal: AbortSignal.any(signals) } : {};
};

export type { HealthStatus };
