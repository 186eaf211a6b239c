import type { Logger } from '@gitops/telemetry';
import {
  ApiException,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  type V1APIResource,
  makeInformer,
} from '@kubernetes/client-node';
import { applyConflict, applyRefused, clusterUnavailable } from '../errors.js';
import { type KubeObject, type ObjectRef, groupOf, keyOf, refOf } from '../manifests/objects.js';
import { type ScopeOf, builtInScope } from '../manifests/scope.js';
import type { ApplyOptions, ChangeListener, Cluster, ClusterState } from '../ports.js';

import { FIELD_MANAGER } from './field-manager.js';

/** KubernetesObjectApi with its discovery (cached per apiVersion) opened up. */
class DiscoveringApi extends KubernetesObjectApi {
  static make(kc: KubeConfig): DiscoveringApi {
    const client = kc.makeApiClient(DiscoveringApi);
    client.setDefaultNamespace(kc);
    return client;
  }
  /** The served resource of a kind; undefined when the API server does not serve it (yet: a CRD to come). */
  async describe(apiVersion: string, kind: string): Promise<V1APIResource | undefined> {
    try {
      return await this.resource(apiVersion, kind);
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return undefined;
      throw err;
    }
  }
}

type Watched = ReturnType<typeof makeInformer<KubernetesObject>>;

const bodyMessage = (err: ApiException<unknown>): string => {
  const body = typeof err.body === 'string' ? safeJson(err.body) : err.body;
  return (body as { message?: string } | undefined)?.message ?? String(err.body ?? err.message);
};
const safeJson = (text: string): unknown => {
  try {
    return JSON.parse(text);
  } catch {
    return { message: text };
  }
};
const isUnreachable = (err: unknown) => !(err instanceof ApiException) || err.code >= 500 || err.code === 0;

/** The cluster through client-node: discovery, informers per kind and namespace, server-side apply, delete. */
export class KubeCluster implements Cluster {
  readonly #api: DiscoveringApi;
  readonly #informers = new Map<string, Promise<Watched>>();
  readonly #scopes = new Map<string, 'Namespaced' | 'Cluster'>();
  readonly #listeners: ChangeListener[] = [];
  #state: ClusterState = { reachable: false, reason: 'not connected yet' };

  constructor(
    private readonly kc: KubeConfig,
    private readonly logger: Logger,
  ) {
    this.#api = DiscoveringApi.make(kc);
  }

  state(): ClusterState {
    return this.#state;
  }

  async connect(): Promise<void> {
    try {
      await this.#api.describe('v1', 'Namespace');
      this.#state = { reachable: true };
    } catch (err) {
      this.#fail(err);
    }
  }

  #fail(err: unknown): never {
    const reason = err instanceof ApiException ? `${err.code} ${bodyMessage(err)}` : (err as Error).message;
    if (isUnreachable(err)) this.#state = { reachable: false, reason };
    throw clusterUnavailable(reason, err);
  }

  scopeOf(): ScopeOf {
    return (apiVersion, kind) => this.#scopes.get(`${apiVersion}/${kind}`) ?? builtInScope(apiVersion, kind);
  }

  async discover(kinds: ReadonlyArray<{ apiVersion: string; kind: string }>): Promise<void> {
    for (const { apiVersion, kind } of kinds) {
      if (this.#scopes.has(`${apiVersion}/${kind}`)) continue;
      const resource = await this.#api.describe(apiVersion, kind).catch((err) => this.#fail(err));
      if (resource) this.#scopes.set(`${apiVersion}/${kind}`, resource.namespaced ? 'Namespaced' : 'Cluster');
    }
  }

  async cached(apiVersion: string, kind: string, namespace?: string): Promise<KubeObject[]> {
    const key = `${apiVersion}/${kind}/${namespace ?? ''}`;
    let informer = this.#informers.get(key);
    if (!informer) {
      const resource = await this.#api.describe(apiVersion, kind).catch((err) => this.#fail(err));
      // A kind not served yet (its CRD comes with this sync) has no objects.
      if (!resource) return [];
      informer = this.#watch(apiVersion, kind, resource, namespace);
      this.#informers.set(key, informer);
      informer.catch(() => this.#informers.delete(key));
    }
    const list = (await informer).list(namespace) as KubeObject[];
    return list.map((object) => ({ ...object, apiVersion, kind }));
  }

  async #watch(
    apiVersion: string,
    kind: string,
    resource: V1APIResource,
    namespace?: string,
  ): Promise<Watched> {
    const base = groupOf(apiVersion) ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    const path =
      resource.namespaced && namespace
        ? `${base}/namespaces/${namespace}/${resource.name}`
        : `${base}/${resource.name}`;
    const informer = makeInformer<KubernetesObject>(this.kc, path, () =>
      this.#api.list(apiVersion, kind, resource.namespaced ? namespace : undefined),
    );
    const emit = (change: 'add' | 'update' | 'delete') => (object: KubernetesObject) => {
      const typed = { ...object, apiVersion, kind } as KubeObject;
      for (const listener of this.#listeners) listener(typed, change);
    };
    informer.on('add', emit('add'));
    informer.on('update', emit('update'));
    informer.on('delete', emit('delete'));
    informer.on('error', (err) => {
      this.logger.warn({ err: (err as Error)?.message, path }, 'watch failed; restarting in 3s');
      setTimeout(() => informer.start().catch(() => undefined), 3000).unref();
    });
    await informer.start().catch((err) => this.#fail(err));
    this.#state = { reachable: true };
    return informer;
  }

  async apply(object: KubeObject, options: ApplyOptions): Promise<KubeObject> {
    // An apply names what it wants, never which version it read nor who owns what.
    const { managedFields: _managed, resourceVersion: _version, ...metadata } = object.metadata;
    const clean = { ...object, metadata };
    try {
      return (await this.#api.patch(
        clean as KubernetesObject,
        undefined,
        options.dryRun ? 'All' : undefined,
        FIELD_MANAGER,
        options.force,
        PatchStrategy.ServerSideApply,
      )) as KubeObject;
    } catch (err) {
      if (err instanceof ApiException && err.code === 409) {
        const message = bodyMessage(err);
        const managers = [...message.matchAll(/conflicts? with "([^"]+)"/g)].map((match) => match[1]!);
        throw applyConflict(keyOf(refOf(object)), [...new Set(managers)], message);
      }
      if (err instanceof ApiException && err.code < 500) {
        throw applyRefused(keyOf(refOf(object)), err.code, bodyMessage(err));
      }
      return this.#fail(err);
    }
  }

  async remove(ref: ObjectRef): Promise<'deleted' | 'absent'> {
    try {
      await this.#api.delete(
        {
          apiVersion: ref.apiVersion,
          kind: ref.kind,
          metadata: { name: ref.name, ...(ref.namespace ? { namespace: ref.namespace } : {}) },
        },
        undefined,
        undefined,
        undefined,
        undefined,
        'Foreground',
      );
      return 'deleted';
    } catch (err) {
      if (err instanceof ApiException && err.code === 404) return 'absent';
      return this.#fail(err);
    }
  }

  onChange(listener: ChangeListener): void {
    this.#listeners.push(listener);
  }

  async stop(): Promise<void> {
    const informers = await Promise.allSettled(this.#informers.values());
    this.#informers.clear();
    await Promise.all(
      informers.map((result) => (result.status === 'fulfilled' ? result.value.stop() : undefined)),
    );
  }
}
