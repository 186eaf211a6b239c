import { type KubeObject, groupOf } from './objects.js';

export const WAVE_ANNOTATIONS = ['gitops.platform/sync-wave', 'argocd.argoproj.io/sync-wave'];

// What other objects need to exist first (Helm's install order, shortened).
const KIND_ORDER = [
  '/Namespace',
  'apiextensions.k8s.io/CustomResourceDefinition',
  '/ServiceAccount',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'rbac.authorization.k8s.io/Role',
  'rbac.authorization.k8s.io/RoleBinding',
  '/Secret',
  '/ConfigMap',
  '/PersistentVolumeClaim',
  '/Service',
];

export const waveOf = (object: KubeObject): number => {
  for (const name of WAVE_ANNOTATIONS) {
    const value = Number.parseInt(object.metadata.annotations?.[name] ?? '', 10);
    if (Number.isFinite(value)) return value;
  }
  return 0;
};

const rank = (object: KubeObject) => {
  const index = KIND_ORDER.indexOf(`${groupOf(object.apiVersion)}/${object.kind}`);
  return index === -1 ? KIND_ORDER.length : index;
};

/** Whether an object defines what later objects need: Namespaces and CRDs go in a phase before every wave. */
const isFoundation = (object: KubeObject) => rank(object) <= 1;

/**
 * The objects in apply batches: Namespaces and CRDs first, then one batch per sync wave (ascending),
 * each ordered by kind so that what an object refers to exists before it.
 */
export function applyBatches(objects: readonly KubeObject[]): KubeObject[][] {
  const byKind = (a: KubeObject, b: KubeObject) => rank(a) - rank(b);
  const foundation = objects.filter(isFoundation).sort(byKind);
  const waves = new Map<number, KubeObject[]>();
  for (const object of objects.filter((o) => !isFoundation(o))) {
    const wave = waveOf(object);
    waves.set(wave, [...(waves.get(wave) ?? []), object]);
  }
  const ordered = [...waves.entries()].sort(([a], [b]) => a - b).map(([, batch]) => batch.sort(byKind));
  return [foundation, ...ordered].filter((batch) => batch.length > 0);
}
