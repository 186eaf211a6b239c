import { createHash } from 'node:crypto';
import type { Application, Environment } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import type { Logger } from '@gitops/telemetry';
import { FIELD_MANAGER } from '../adapters/field-manager.js';
import { managerOf } from '../diff/managed-fields.js';
import { driftEvent } from '../events.js';
import { APP_LABEL, ENV_LABEL } from '../manifests/inventory.js';
import { type KubeObject, keyOf, refOf } from '../manifests/objects.js';
import type { Cluster, StateStore } from '../ports.js';
import { liveObjects } from './live.js';
import { planSync } from './plan.js';

export interface DriftedResource {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
  fields: string[];
  /** Who changed it, from managedFields (`deleted` when the object is gone). */
  manager?: string;
}

/** What was last applied to an application environment: drift is measured against it, not the branch head. */
export interface Applied {
  app: Application;
  environment: Environment;
  configCommit: string;
  desired: KubeObject[];
}

/** The applied objects that differ from live now, with the changed fields and who changed them. */
export async function findDrift(cluster: Cluster, applied: Applied): Promise<DriftedResource[]> {
  const live = await liveObjects(cluster, applied.desired.map(refOf));
  const plan = planSync({
    desired: applied.desired,
    live,
    inventory: [],
    owner: { app: applied.app.name, environment: applied.environment.name },
    ignoreDifferences: applied.app.ignoreDifferences,
    manager: FIELD_MANAGER,
  });
  return plan.resources
    .filter((resource) => resource.action !== 'unchanged')
    .map((resource) => {
      const object = live.get(resource.key);
      const managers = object
        ? resource.fields.map((field) => managerOf(object, field)).filter(Boolean)
        : ['deleted'];
      const manager = managers.find((name) => name !== FIELD_MANAGER) ?? managers[0];
      return {
        ...resource.ref,
        fields: resource.action === 'create' ? ['(deleted)'] : resource.fields,
        ...(manager ? { manager } : {}),
      };
    });
}

export interface DriftWatcherDeps {
  cluster: Cluster;
  store: StateStore;
  logger: Logger;
  debounceMs: number;
  publish(event: GitopsEvent): Promise<void>;
  /** Re-applies Git (a sync with trigger `drift`) for an application in heal mode; answers once done. */
  heal(applied: Applied): Promise<void>;
}

const driftId = (applied: Applied, drifted: DriftedResource[], live: string) =>
  `${applied.app.name}-drift-${createHash('sha256')
    .update(JSON.stringify([applied.configCommit, drifted, live]))
    .digest('hex')
    .slice(0, 16)}`;

/**
 * Watches the objects the reconciler applied (the informers' change events, no polling) and, once a
 * change settles, compares them with what was applied: `alert` publishes drift.detected; `heal`
 * (syncPolicy.selfHeal) re-applies and publishes drift.resolved with action `healed`.
 */
export class DriftWatcher {
  readonly #applied = new Map<string, Applied>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #reported = new Map<string, string>();
  readonly #syncing = new Set<string>();

  constructor(private readonly deps: DriftWatcherDeps) {
    deps.cluster.onChange((object) => {
      const app = object.metadata.labels?.[APP_LABEL];
      const environment = object.metadata.labels?.[ENV_LABEL];
      if (app && environment) this.schedule(`${app}/${environment}`);
    });
  }

  /** Records what a sync applied: later changes are compared with it. */
  applied(applied: Applied): void {
    const key = `${applied.app.name}/${applied.environment.name}`;
    this.#applied.set(key, applied);
    this.#reported.delete(key);
  }

  /** A sync is applying to this application environment: its own changes are not drift. */
  syncing(app: string, environment: string, active: boolean): void {
    const key = `${app}/${environment}`;
    if (active) this.#syncing.add(key);
    else this.#syncing.delete(key);
  }

  schedule(key: string): void {
    if (!this.#applied.has(key)) return;
    clearTimeout(this.#timers.get(key));
    const timer = setTimeout(() => {
      this.#timers.delete(key);
      this.check(key).catch((err) =>
        this.deps.logger.warn({ key, err: (err as Error).message }, 'drift check failed'),
      );
    }, this.deps.debounceMs);
    timer.unref();
    this.#timers.set(key, timer);
  }

  /** Checks one application environment now; answers the drifted resources (none when it matches Git). */
  async check(key: string): Promise<DriftedResource[]> {
    const applied = this.#applied.get(key);
    if (!applied) return [];
    if (this.#syncing.has(key)) {
      this.schedule(key);
      return [];
    }
    // Another replica applied a newer commit: what this one remembers is no longer what Git wants.
    const status = await this.deps.store.status(applied.app.name, applied.environment.name);
    if (status?.configCommit && status.configCommit !== applied.configCommit) return [];
    const drifted = await findDrift(this.deps.cluster, applied);
    const signature = JSON.stringify(drifted);
    if (drifted.length === 0 || this.#reported.get(key) === signature) {
      if (drifted.length === 0) this.#reported.delete(key);
      return drifted;
    }
    this.#reported.set(key, signature);
    await this.#report(applied, drifted);
    return drifted;
  }

  async #report(applied: Applied, drifted: DriftedResource[]): Promise<void> {
    const { app, environment } = applied;
    const heal = app.syncPolicy.selfHeal;
    const status = await this.deps.store.status(app.name, environment.name);

    const drift = drifted.map((d) => ({
      resource: keyOf(d),
      fields: d.fields,
      ...(d.manager ? { manager: d.manager } : {}),
    }));
    if (status)
      await this.deps.store.saveStatus(app.name, {
        ...status,
        sync: 'OutOfSync',
        drift,
        updatedAt: new Date().toISOString(),
      });
    this.deps.logger.info({ app: app.name, environment: environment.name, drift, heal }, 'drift found');
    const data = {
      pipelineId: driftId(applied, drifted, heal ? 'healed' : 'alerted'),
      app: app.name,
      configCommit: applied.configCommit,
      environment: environment.name,
      resources: drifted.map(({ manager: _manager, ...resource }) => resource),
      managers: [...new Set(drifted.map((d) => d.manager).filter(Boolean))],
    };
    if (!heal) {
      await this.deps.publish(driftEvent('drift.detected', { ...data, action: 'alerted' }));
      return;
    }
    await this.deps.heal(applied);
    const left = await findDrift(
      this.deps.cluster,
      this.#applied.get(`${app.name}/${environment.name}`) ?? applied,
    );
    if (left.length > 0) {
      // The heal did not take (the sync failed): the drift stays reported, as an alert.
      await this.deps.publish(driftEvent('drift.detected', { ...data, action: 'alerted' }));
      return;
    }
    await this.deps.publish(driftEvent('drift.resolved', { ...data, action: 'healed' }));
  }

  stop(): void {
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
