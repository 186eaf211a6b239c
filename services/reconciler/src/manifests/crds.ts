import { type KubeObject, groupOf, isObject } from './objects.js';
import type { ScopeOf } from './scope.js';

const isCrd = (object: KubeObject) =>
  object.kind === 'CustomResourceDefinition' && groupOf(object.apiVersion) === 'apiextensions.k8s.io';

interface CrdSpec {
  group?: string;
  scope?: string;
  names?: { kind?: string };
}

/** `group/Kind` of every custom resource kind the objects define, with its scope. */
export function definedKinds(objects: readonly KubeObject[]): Map<string, 'Namespaced' | 'Cluster'> {
  const kinds = new Map<string, 'Namespaced' | 'Cluster'>();
  for (const object of objects.filter(isCrd)) {
    const spec = (isObject(object.spec) ? object.spec : {}) as CrdSpec;
    if (spec.group && spec.names?.kind) {
      kinds.set(`${spec.group}/${spec.names.kind}`, spec.scope === 'Cluster' ? 'Cluster' : 'Namespaced');
    }
  }
  return kinds;
}

/** Whether an object's kind is defined by a CRD among the objects (not served until that CRD is applied). */
export const definedAmong = (kinds: ReadonlyMap<string, unknown>, object: KubeObject) =>
  kinds.has(`${groupOf(object.apiVersion)}/${object.kind}`);

/** The scope from the CRDs of the same sync first, then from discovery. */
export const withDefinedKinds =
  (kinds: ReadonlyMap<string, 'Namespaced' | 'Cluster'>, scopeOf: ScopeOf): ScopeOf =>
  (apiVersion, kind) =>
    kinds.get(`${groupOf(apiVersion)}/${kind}`) ?? scopeOf(apiVersion, kind);
