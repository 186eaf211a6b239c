import type { Application, Environment } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { describeError } from '@gitops/errors';
import { yaml } from './diff/diff.js';
import { unifiedDiff } from './diff/unified.js';
import { unknownApp, unknownEnvironment } from './errors.js';
import { keyOf, refOf } from './manifests/objects.js';
import type { ReconcilerMetrics } from './metrics.js';
import type { EnvironmentStatus } from './ports.js';
import { type Applied, DriftWatcher } from './sync/drift.js';
import { type EngineDeps, type SyncAnswer, type SyncAsk, syncOnce } from './sync/engine.js';
import { type ReconcileDeps, type Trigger, desiredState, planFor } from './sync/reconcile.js';
import { rollback } from './sync/rollback.js';

export interface ControllerDeps extends ReconcileDeps {
  apps: Application[];
  publish(event: GitopsEvent): Promise<void>;
  driftDebounceMs: number;
  metrics?: ReconcilerMetrics;
}

/** The reconciler's parts a person or a timer drives: syncs, diffs, status, rollbacks, drift. */
export class Controller {
  readonly apps: ReadonlyMap<string, Application>;
  readonly drift: DriftWatcher | undefined;
  readonly engine: Omit<EngineDeps, 'publish'>;
  readonly #stopping = new AbortController();

  constructor(private readonly deps: ControllerDeps) {
    this.apps = new Map(deps.apps.map((app) => [app.name, app]));
    const cluster = deps.cluster;
    this.drift = cluster
      ? new DriftWatcher({
          cluster,
          store: deps.store,
          logger: deps.logger,
          debounceMs: deps.driftDebounceMs,
          publish: async (event) => {
            const action = (event.data as { action?: 'alerted' | 'healed' }).action;
            if (action) deps.metrics?.drifted(action);
            await deps.publish(event);
          },
          heal: (applied: Applied) => this.#heal(applied),
        })
      : undefined;
    this.engine = {
      ...deps,
      stopping: this.#stopping.signal,
      onSyncing: (ask, active) => this.drift?.syncing(ask.app.name, ask.environment.name, active),
      onSynced: (ask, outcome) =>
        this.drift?.applied({
          app: ask.app,
          environment: ask.environment,
          configCommit: outcome.configCommit,
          desired: outcome.desired,
        }),
      onDegraded: (ask, outcome, status) => this.#autoRollback(ask, outcome.configCommit, status),
      onPass: (trigger, result, ms) => deps.metrics?.synced(trigger, result, ms),
    };
  }

  find(name: string, environment?: string): { app: Application; environment: Environment } {
    const app = this.apps.get(name);
    if (!app) throw unknownApp(name);
    const env = environment
      ? app.config.environments.find((e) => e.name === environment)
      : app.config.environments[0];
    if (!env) throw unknownEnvironment(name, environment ?? '');
    return { app, environment: env };
  }

  /** A sync outside the stage queue (API, resync, drift, rollback): its events go out through the bus. */
  async sync(app: Application, environment: Environment, trigger: Trigger): Promise<SyncAnswer> {
    // Self-heal means Git wins: a person's edit took the field's ownership, so it is taken back.
    const ask: SyncAsk = { app, environment, trigger, ...(trigger === 'drift' ? { force: true } : {}) };
    const answer = await syncOnce({ ...this.engine, publish: this.deps.publish }, ask);
    if (answer !== 'superseded') for (const event of answer.events) await this.deps.publish(event);
    return answer;
  }

  /** Starts a sync and returns at once; failures are logged and recorded in the status. */
  syncInBackground(app: Application, environment: Environment, trigger: Trigger): void {
    this.sync(app, environment, trigger).catch((err) =>
      this.deps.logger.warn(
        { app: app.name, environment: environment.name, trigger, err: describeError(err) },
        'sync failed',
      ),
    );
  }

  async #heal(applied: Applied): Promise<void> {
    await this.sync(applied.app, applied.environment, 'drift');
  }

  async #autoRollback(ask: SyncAsk, configCommit: string, status: EnvironmentStatus): Promise<void> {
    const to = status.healthyCommit;
    if (!ask.app.syncPolicy.autoRollback || ask.trigger === 'rollback' || !to || to === configCommit) return;
    const reason = `automatic rollback: ${configCommit.slice(0, 12)} turned ${status.health}${status.message ? ` (${status.message})` : ''}`;
    // The rollback's own sync needs this sync's lock: it runs once this one is done.
    setImmediate(() => {
      this.rollback(ask.app, ask.environment, to, 'reconciler', reason).catch((err) =>
        this.deps.logger.error({ app: ask.app.name, err: describeError(err) }, 'automatic rollback failed'),
      );
    });
  }

  /** Writes the revert commit, publishes rollback.completed, then syncs the reverted state. */
  async rollback(app: Application, environment: Environment, to: string, by: string, reason?: string) {
    const event = await rollback(
      { repo: this.deps.repo, store: this.deps.store, publish: this.deps.publish },
      {
        app,
        environment,
        to,
        by,
        ...(reason ? { reason } : {}),
      },
    );
    this.syncInBackground(app, environment, 'rollback');
    return event;
  }

  /** Every environment's status; with no cluster reachable, Unknown with the reason. */
  async status(app: Application): Promise<EnvironmentStatus[]> {
    const state = this.deps.cluster?.state() ?? {
      reachable: false as const,
      reason: this.deps.noClusterReason ?? 'no cluster',
    };
    return Promise.all(
      app.config.environments.map(async (environment) => {
        const stored = await this.deps.store.status(app.name, environment.name);
        const status: EnvironmentStatus = stored ?? {
          environment: environment.name,
          sync: 'Unknown',
          health: 'Unknown',
          drift: [],
          resources: [],
          updatedAt: new Date().toISOString(),
        };
        if (!state.reachable)
          return {
            ...status,
            sync: 'Unknown',
            health: 'Unknown',
            message: `cluster unreachable: ${state.reason}`,
          };
        return status;
      }),
    );
  }

  /** What a sync would change, resource by resource; with no cluster, the desired objects alone. */
  async diff(app: Application, environment: Environment) {
    const ask = { app, environment, trigger: 'api' as const };
    const state = await desiredState(this.deps, ask);
    const clusterState = this.deps.cluster?.state() ?? {
      reachable: false as const,
      reason: this.deps.noClusterReason ?? 'no cluster',
    };
    if (!clusterState.reachable) await this.deps.cluster?.connect().catch(() => undefined);
    const reachableNow = this.deps.cluster?.state().reachable ?? false;
    if (!reachableNow) {
      const reason = this.deps.cluster?.state() ?? clusterState;
      const resources = state.desired.map((object) => ({
        resource: keyOf(refOf(object)),
        action: 'unknown',
        fields: [],
        diff: unifiedDiff('', yaml(object)),
      }));
      return { configCommit: state.configCommit, cluster: reason, resources, prune: [] };
    }
    const plan = await planFor(this.deps, ask, state);
    return {
      configCommit: state.configCommit,
      cluster: { reachable: true },
      resources: plan.resources.map(({ key, action, fields, diff, json }) => ({
        resource: key,
        action,
        fields,
        diff,
        ...json,
      })),
      prune: plan.prune.map((ref) => ({ ...ref, willPrune: app.syncPolicy.prune })),
    };
  }

  /** Stops watching for drift and ends every health wait: their jobs are retried, nothing is reported. */
  stop(): void {
    this.#stopping.abort();
    this.drift?.stop();
  }
}
