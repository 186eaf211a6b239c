import { rmSync } from 'node:fs';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname } from 'node:path';
import { Cluster } from './cluster.js';
import { deleteObject, removeTree } from './delete.js';
import { TOKEN, kubeconfigYaml, writeKubeconfig } from './kubeconfig.js';
import { type Failure, createHandler } from './server.js';
import {
  type KubeObject,
  type ObjectRef,
  type RecordedRequest,
  clone,
  splitApiVersion,
  unset,
} from './types.js';

export interface KubeApiDouble {
  /** http://127.0.0.1:<port> */
  url: string;
  /** A kubeconfig file (in a temp dir) pointing at url: context `double`, bearer token `double-token`. */
  kubeconfigPath: string;
  kubeconfig(): string;
  /** Every request answered, in order. */
  requests: RecordedRequest[];
  resetRequests(): void;
  /** writes = create/patch/update/delete that were not dry runs. */
  counts(): { reads: number; writes: number; watches: number; discovery: number };
  /** A copy of the object, or undefined when it (or its kind) does not exist. */
  get(ref: ObjectRef): KubeObject | undefined;
  list(filter?: { apiVersion?: string; kind?: string; namespace?: string }): KubeObject[];
  /** Creates or replaces an object behind the client's back, as an update by `manager` (default kubectl-edit). */
  put(obj: KubeObject, manager?: string): KubeObject;
  /** A person's `kubectl edit`: an update-style write owned by `manager` (default kubectl-edit) on the changed fields. */
  edit(ref: ObjectRef, change: (obj: KubeObject) => void, manager?: string): KubeObject;
  /** A controller writing status through the status subresource (no generation bump). */
  setStatus(ref: ObjectRef, status: unknown): KubeObject;
  /** Deletes behind the client's back (Background propagation); nothing happens when the object is gone already. */
  remove(ref: ObjectRef): void;
  /** Calls `listener` after every stored change (never for dry runs or no-ops); answers an unsubscribe. */
  onChange(
    listener: (change: { type: 'ADDED' | 'MODIFIED' | 'DELETED'; object: KubeObject }) => void,
  ): () => void;
  /** The next `times` (default 1) requests matching verb and kind answer this status code. */
  failNext(match: { verb?: string; kind?: string }, status: number, times?: number): void;
  /** Ends every open watch cleanly, as the real server does when a watch's timeout expires; clients resume. */
  closeWatches(): void;
  /** Forgets the watch change log, so a watch resuming from any older resourceVersion gets 410 Gone. */
  compact(): void;
  /** The current resourceVersion (a global counter). */
  resourceVersion(): string;
  /** Stop / start listening on the same port: a cluster outage. */
  down(): Promise<void>;
  up(): Promise<void>;
  stop(): Promise<void>;
}

export interface KubeApiDoubleOptions {
  /** CustomResourceDefinitions installed (and established) at start. */
  crds?: KubeObject[];
  /** Namespaces created at start, besides default, kube-system, kube-public and kube-node-lease. */
  namespaces?: string[];
  /** Listen on this port (default: a free one). */
  port?: number;
  /** Changes kept for watches to resume from (default 10,000) before 410 Gone. */
  watchHistory?: number;
  /** Interval of BOOKMARK events on watches that allow them (default 5 s). */
  bookmarkIntervalMs?: number;
}

const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];

export async function startKubeApiDouble(options: KubeApiDoubleOptions = {}): Promise<KubeApiDouble> {
  const cluster = new Cluster(options.watchHistory);
  cluster.finalized = (type, obj) => removeTree(cluster, type, obj, 'Background');
  const requests: RecordedRequest[] = [];
  const failures: Failure[] = [];
  const watches = new Set<ServerResponse>();
  let port = options.port ?? 0;
  const server: Server = createServer(
    createHandler({
      cluster,
      token: TOKEN,
      requests,
      failures,
      watches,
      bookmarkIntervalMs: options.bookmarkIntervalMs ?? 5000,
      address: () => `127.0.0.1:${port}`,
    }),
  );
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        port = (server.address() as AddressInfo).port;
        resolve();
      });
    });
  const close = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  await listen();

  const typeOf = (ref: { apiVersion: string; kind: string }) => cluster.typeOf(ref.apiVersion, ref.kind);
  const live = (ref: ObjectRef) => cluster.read(typeOf(ref), ref.namespace, ref.name);
  const put = (obj: KubeObject, manager = 'kubectl-edit') => {
    const type = typeOf(obj);
    const previous = cluster.find(type, obj.metadata.namespace, obj.metadata.name);
    const next = clone(obj);
    next.metadata.managedFields = previous?.metadata.managedFields ?? [];
    if (!type.namespaced) unset(next.metadata, 'namespace');
    return clone(cluster.update(type, previous, next, { manager }));
  };
  for (const name of [...SYSTEM_NAMESPACES, ...(options.namespaces ?? [])]) {
    if (!cluster.store.get('', 'Namespace', undefined, name))
      put({ apiVersion: 'v1', kind: 'Namespace', metadata: { name } }, 'kube-apiserver');
  }
  for (const crd of options.crds ?? []) put(crd, 'kubectl');

  const url = `http://127.0.0.1:${port}`;
  const yaml = kubeconfigYaml(url);
  const kubeconfigPath = writeKubeconfig(yaml);
  const count = (pick: (r: RecordedRequest) => boolean) => requests.filter(pick).length;

  return {
    url,
    kubeconfigPath,
    kubeconfig: () => yaml,
    requests,
    resetRequests: () => {
      requests.length = 0;
    },
    counts: () => ({
      reads: count((r) => r.verb === 'get' || r.verb === 'list'),
      writes: count((r) => ['create', 'patch', 'update', 'delete'].includes(r.verb) && !r.dryRun),
      watches: count((r) => r.verb === 'watch'),
      discovery: count((r) => r.verb === 'discovery'),
    }),
    get: (ref) => {
      const type = cluster.registry.byKind(
        splitApiVersion(ref.apiVersion).group,
        splitApiVersion(ref.apiVersion).version,
        ref.kind,
      );
      const found = type && cluster.find(type, ref.namespace, ref.name);
      return found ? clone(found) : undefined;
    },
    list: (filter = {}) =>
      cluster.store
        .list({
          ...(filter.apiVersion !== undefined ? { group: splitApiVersion(filter.apiVersion).group } : {}),
          ...(filter.kind !== undefined ? { kind: filter.kind } : {}),
          ...(filter.namespace !== undefined ? { namespace: filter.namespace } : {}),
        })
        .map(clone),
    put,
    edit: (ref, change, manager = 'kubectl-edit') => {
      const before = live(ref);
      const next = clone(before);
      change(next);
      return clone(cluster.update(typeOf(ref), before, next, { manager }));
    },
    setStatus: (ref, status) => {
      const before = live(ref);
      const next = clone(before);
      next.status = clone(status);
      return clone(
        cluster.update(typeOf(ref), before, next, {
          manager: 'kube-controller-manager',
          subresource: 'status',
        }),
      );
    },
    remove: (ref) => {
      const type = typeOf(ref);
      if (cluster.find(type, ref.namespace, ref.name)) {
        deleteObject(cluster, type, ref.namespace, ref.name, { propagationPolicy: 'Background' });
      }
    },
    // Deferred, so a listener that writes cannot reorder the events watches see.
    onChange: (listener) =>
      cluster.store.subscribe((event) => {
        const change = { type: event.type, object: clone(event.object) };
        setImmediate(() => listener(change));
      }),
    failNext: (match, status, times = 1) => {
      failures.push({ ...match, status, times });
    },
    closeWatches: () => {
      for (const res of watches) res.end();
    },
    compact: () => cluster.store.compact(),
    resourceVersion: () => String(cluster.store.resourceVersion),
    down: close,
    up: async () => {
      if (!server.listening) await listen();
    },
    stop: async () => {
      await close();
      rmSync(dirname(kubeconfigPath), { recursive: true, force: true });
    },
  };
}
