import type { Destination } from '@gitops/config';
import { guardRefused } from '../errors.js';
import { type Owner, withInventory } from './inventory.js';
import { type KubeObject, keyOf, refOf } from './objects.js';
import type { ScopeOf } from './scope.js';

export interface GuardRules {
  owner: Owner;
  destination: Destination;
  scopeOf: ScopeOf;
  /** The most objects one environment may render. */
  maxObjects: number;
}

/**
 * The rendered objects as they will be applied: a namespaced object without a namespace gets the
 * destination's; every object gets the inventory labels. Refused, all problems named at once: an
 * object in another namespace, a cluster-scoped object when the application may not own any, two
 * objects with one identity, more objects than allowed.
 */
export function guard(objects: readonly KubeObject[], rules: GuardRules): KubeObject[] {
  const problems: string[] = [];
  if (objects.length > rules.maxObjects) {
    problems.push(`${objects.length} objects rendered, more than the limit of ${rules.maxObjects}`);
  }
  const seen = new Set<string>();
  const placed = objects.map((object) => {
    const namespace = rules.destination.namespace;
    let placedObject = object;
    if (rules.scopeOf(object.apiVersion, object.kind) === 'Cluster') {
      if (!rules.destination.clusterResources) {
        problems.push(
          `${keyOf(refOf(object))} is cluster-scoped and destination.clusterResources is not set`,
        );
      }
      if (object.metadata.namespace) {
        const { namespace: _ignored, ...metadata } = object.metadata;
        placedObject = { ...object, metadata };
      }
    } else if (!object.metadata.namespace) {
      placedObject = { ...object, metadata: { ...object.metadata, namespace } };
    } else if (object.metadata.namespace !== namespace) {
      problems.push(`${keyOf(refOf(object))} is outside the destination namespace ${namespace}`);
    }
    const key = keyOf(refOf(placedObject));
    if (seen.has(key)) problems.push(`${key} is rendered twice`);
    seen.add(key);
    return withInventory(placedObject, rules.owner);
  });
  if (problems.length > 0) throw guardRefused(problems);
  return placed;
}
