import type { IgnoreDifference } from '@gitops/config';
import { type ResourceDiff, diffObject } from '../diff/diff.js';
import { type Owner, isOwnedBy, pruneProtected } from '../manifests/inventory.js';
import { type KubeObject, type ObjectRef, keyOf, refOf } from '../manifests/objects.js';

export interface SyncPlan {
  /** Every desired object with what a sync does to it. */
  resources: Array<ResourceDiff & { desired: KubeObject }>;
  /** Objects of the inventory that Git no longer has, to delete when the application prunes. */
  prune: ObjectRef[];
  /** Objects Git dropped that stay: protected by annotation, or no longer ours. */
  keep: Array<{ ref: ObjectRef; reason: string }>;
}

export interface PlanInput {
  desired: readonly KubeObject[];
  /** Live objects by key (from the informer caches). */
  live: ReadonlyMap<string, KubeObject>;
  /** What this application environment applied before. */
  inventory: readonly ObjectRef[];
  owner: Owner;
  ignoreDifferences: readonly IgnoreDifference[];
  manager: string;
}

/**
 * Desired against live, and the inventory against Git: what to apply, what is unchanged, what to
 * prune (gitops-engine's sync plan, as plain data). An inventory entry is pruned only when its live
 * object still carries this application's labels and no `gitops.platform/prune: disabled`.
 */
export function planSync(input: PlanInput): SyncPlan {
  const resources = input.desired.map((desired) => ({
    ...diffObject(desired, input.live.get(keyOf(refOf(desired))), {
      ignoreDifferences: input.ignoreDifferences,
      manager: input.manager,
    }),
    desired,
  }));
  const wanted = new Set(resources.map((resource) => resource.key));
  const prune: ObjectRef[] = [];
  const keep: SyncPlan['keep'] = [];
  for (const ref of input.inventory) {
    const key = keyOf(ref);
    if (wanted.has(key)) continue;
    const live = input.live.get(key);
    if (!live) continue;
    if (!isOwnedBy(live, input.owner)) keep.push({ ref, reason: 'no longer labelled for this application' });
    else if (pruneProtected(live)) keep.push({ ref, reason: 'gitops.platform/prune: disabled' });
    else prune.push(ref);
  }
  return { resources, prune, keep };
}

/** Whether a plan changes nothing: no object to create or update, nothing to prune. */
export const isNoOp = (plan: SyncPlan, pruning: boolean) =>
  plan.resources.every((resource) => resource.action === 'unchanged') &&
  (!pruning || plan.prune.length === 0);
