import type { Cluster } from './cluster.js';
import { now } from './managed.js';
import type { ResourceType } from './resources.js';
import { ApiError, successStatus } from './status.js';
import { type KubeObject, clone, splitApiVersion, unset } from './types.js';

export type Propagation = 'Background' | 'Foreground' | 'Orphan';

export interface DeleteOptions {
  propagationPolicy?: Propagation;
  dryRun?: boolean;
  /** Delete only if the live object still has this uid / resourceVersion. */
  preconditions?: { uid?: string; resourceVersion?: string };
}

/**
 * DELETE: an object with finalizers only gets a deletionTimestamp (it goes when they are removed); otherwise it
 * is removed at once. Dependents (ownerReferences to its uid) are deleted too unless the policy is Orphan, which
 * strips the reference instead; the real garbage collector does this asynchronously, the double synchronously.
 * Deleting a Namespace deletes everything in it; deleting a CRD deletes its custom resources and kinds.
 */
export function deleteObject(
  cluster: Cluster,
  type: ResourceType,
  namespace: string | undefined,
  name: string,
  opts: DeleteOptions = {},
) {
  const live = cluster.read(type, namespace, name);
  checkPreconditions(type, live, opts.preconditions);
  if (opts.dryRun) return successStatus(type, name, live.metadata.uid);
  if ((live.metadata.finalizers ?? []).length > 0) {
    if (live.metadata.deletionTimestamp) return live;
    const marked = clone(live);
    marked.metadata.deletionTimestamp = now();
    return cluster.save(type, live, marked, { statusWrite: true });
  }
  removeTree(cluster, type, live, opts.propagationPolicy ?? 'Background');
  return successStatus(type, name, live.metadata.uid);
}

function checkPreconditions(
  type: ResourceType,
  live: KubeObject,
  wanted: DeleteOptions['preconditions'],
): void {
  const { uid, resourceVersion } = live.metadata;
  const failed =
    wanted?.uid && wanted.uid !== uid
      ? `UID in precondition: ${wanted.uid}, UID in object meta: ${uid}`
      : wanted?.resourceVersion && wanted.resourceVersion !== resourceVersion
        ? `ResourceVersion in precondition: ${wanted.resourceVersion}, ResourceVersion in meta: ${resourceVersion}`
        : undefined;
  if (failed) {
    throw new ApiError(
      409,
      'Conflict',
      `Operation cannot be fulfilled on ${type.group ? `${type.plural}.${type.group}` : type.plural} "${live.metadata.name}": Precondition failed: ${failed}`,
      {
        name: live.metadata.name,
        ...(type.group ? { group: type.group } : {}),
        kind: type.plural,
      },
    );
  }
}

export function removeTree(cluster: Cluster, type: ResourceType, obj: KubeObject, policy: Propagation): void {
  for (const dependent of dependentsOf(cluster, obj)) {
    const dependentType = typeOfObject(cluster, dependent);
    if (!dependentType) continue;
    if (policy === 'Orphan') {
      const orphaned = clone(dependent);
      orphaned.metadata.ownerReferences = dependent.metadata.ownerReferences?.filter(
        (r) => r.uid !== obj.metadata.uid,
      );
      if (orphaned.metadata.ownerReferences?.length === 0) unset(orphaned.metadata, 'ownerReferences');
      cluster.update(dependentType, dependent, orphaned, { manager: 'kube-controller-manager' });
    } else if (cluster.find(dependentType, dependent.metadata.namespace, dependent.metadata.name)) {
      removeTree(cluster, dependentType, dependent, policy);
    }
  }
  if (type.kind === 'Namespace') {
    for (const inside of cluster.store.list({ namespace: obj.metadata.name })) {
      const insideType = typeOfObject(cluster, inside);
      if (insideType) removeTree(cluster, insideType, inside, 'Background');
    }
  }
  if (type.kind === 'CustomResourceDefinition') {
    const spec = obj.spec as { group?: string; names?: { kind?: string } } | undefined;
    for (const custom of cluster.store.list({ group: spec?.group ?? '', kind: spec?.names?.kind ?? '' })) {
      const customType = typeOfObject(cluster, custom);
      if (customType) removeTree(cluster, customType, custom, 'Background');
    }
    cluster.registry.unregisterCrd(obj);
  }
  cluster.store.remove(type, obj);
}

function dependentsOf(cluster: Cluster, owner: KubeObject): KubeObject[] {
  const uid = owner.metadata.uid;
  return cluster.store.list().filter((o) => o.metadata.ownerReferences?.some((r) => r.uid === uid));
}

function typeOfObject(cluster: Cluster, obj: KubeObject): ResourceType | undefined {
  const { group, version } = splitApiVersion(obj.apiVersion);
  return cluster.registry.byKind(group, version, obj.kind);
}
