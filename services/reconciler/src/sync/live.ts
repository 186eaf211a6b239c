import { type KubeObject, type ObjectRef, keyOf, refOf } from '../manifests/objects.js';
import type { Cluster } from '../ports.js';

/** The live objects named, by key, read from the informer caches: one list and watch per kind and namespace. */
export async function liveObjects(
  cluster: Cluster,
  refs: readonly ObjectRef[],
): Promise<Map<string, KubeObject>> {
  const scope = cluster.scopeOf();
  const groups = new Map<string, { apiVersion: string; kind: string; namespace?: string }>();
  for (const ref of refs) {
    const namespace = scope(ref.apiVersion, ref.kind) === 'Namespaced' ? ref.namespace : undefined;
    groups.set(`${ref.apiVersion}/${ref.kind}/${namespace ?? ''}`, {
      apiVersion: ref.apiVersion,
      kind: ref.kind,
      ...(namespace ? { namespace } : {}),
    });
  }
  const wanted = new Set(refs.map(keyOf));
  const live = new Map<string, KubeObject>();
  for (const group of groups.values()) {
    for (const object of await cluster.cached(group.apiVersion, group.kind, group.namespace)) {
      const key = keyOf(refOf(object));
      if (wanted.has(key)) live.set(key, object);
    }
  }
  return live;
}
