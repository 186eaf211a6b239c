import type { Health } from './health/health.js';
import type { KubeObject, ObjectRef } from './manifests/objects.js';
import type { ScopeOf } from './manifests/scope.js';

export interface ApplyOptions {
  dryRun: boolean;
  force: boolean;
}

/** What the cluster answers about itself: reachable, or why not. */
export type ClusterState = { reachable: true } | { reachable: false; reason: string };

/** A live object changed (added, updated or deleted) in a watched kind and namespace. */
export type ChangeListener = (object: KubeObject, change: 'add' | 'update' | 'delete') => void;

/** The Kubernetes API as the reconciler uses it (adapters/kube-cluster.ts, client-node). */
export interface Cluster {
  state(): ClusterState;
  /** Checks the API server (discovery of the core group); throws clusterUnavailable when it does not answer. */
  connect(): Promise<void>;
  /** Namespaced or cluster-scoped, from discovery (cached per apiVersion). */
  scopeOf(): ScopeOf;
  /** Learns the scope of every kind named (one discovery request per apiVersion, once). */
  discover(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>): Promise<void>;
  /**
   * The live objects of a kind in a namespace (all namespaces' cluster-scoped objects when absent),
   * from an informer's cache: one list and then a watch per kind and namespace, so repeated reads
   * cost no request.
   */
  cached(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]>;
  /** Server-side apply as field manager `gitops-reconciler`; a conflict throws applyConflict. */
  apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject>;
  /** Deletes with foreground propagation; `absent` when it was gone already. */
  remove(ref: ObjectRef): Promise<'deleted' | 'absent'>;
  onChange(listener: ChangeListener): void;
  stop(): Promise<void>;
}

/** A checkout of an environment's branch at its head. */
export interface ConfigCheckout {
  dir: string;
  commit: string;
}

/** The config repository (adapters/git-config-repo.ts). */
export interface ConfigRepo {
  /** Fetches the branch and checks out its head in a work tree of its own (per application and branch). */
  checkout(app: string, branch: string): Promise<ConfigCheckout>;
  /** The trailers of a commit (`Pipeline-Id`, `Source-Commit` of the config updater's commits). */
  trailers(app: string, branch: string, sha: string): Promise<Record<string, string>>;
  /**
   * Writes revert commits for every commit after `to` on the branch that touched `path` (newest
   * first), pushes them (retrying on a non-fast-forward rejection), and answers the new head.
   */
  revertTo(request: RevertToRequest): Promise<{ from: string; commit: string }>;
}

export interface RevertToRequest {
  app: string;
  branch: string;
  path: string;
  to: string;
  by: string;
  reason: string;
}

/** One application environment's state as the status API shows it (shared by replicas through Redis). */
export interface EnvironmentStatus {
  environment: string;
  sync: 'Synced' | 'OutOfSync' | 'Unknown';
  health: Health['status'];
  message?: string;
  /** The config commit last applied, and the last one that was healthy. */
  configCommit?: string;
  healthyCommit?: string;
  /** `repo@digest` of the application's image that was live when last applied. */
  image?: string;
  /** The image that was healthy (rollback quarantines the one live after it). */
  healthyImage?: string;
  drift: Array<{ resource: string; fields: string[]; manager?: string }>;
  resources: Array<{ resource: string; health: Health['status']; message?: string }>;
  lastSync?: {
    pipelineId: string;
    trigger: string;
    at: string;
    result: 'succeeded' | 'failed';
    error?: string;
  };
  updatedAt: string;
}

/** State shared across replicas: status, inventory, locks. */
export interface StateStore {
  status(app: string, environment: string): Promise<EnvironmentStatus | undefined>;
  saveStatus(app: string, status: EnvironmentStatus): Promise<void>;
  /** The keys (and refs) of what this application environment applied: prune works from it. */
  inventory(app: string, environment: string): Promise<ObjectRef[]>;
  saveInventory(app: string, environment: string, refs: ObjectRef[]): Promise<void>;
  /** A ticket for a sync request: a later ticket supersedes a waiting earlier one. */
  ticket(app: string, environment: string): Promise<number>;
  latestTicket(app: string, environment: string): Promise<number>;
  /** Runs `work` holding the application environment's lock (one reconcile at a time across replicas). */
  withLock<T>(
    app: string,
    environment: string,
    work: () => Promise<T>,
    isSuperseded: () => Promise<boolean>,
  ): Promise<T | 'superseded'>;
}
