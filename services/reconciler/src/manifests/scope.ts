import { groupOf } from './objects.js';

/** Cluster-scoped kinds of Kubernetes itself: what is known without discovery (no cluster reachable). */
const CLUSTER_SCOPED = new Set([
  '/Namespace',
  '/Node',
  '/PersistentVolume',
  'apiextensions.k8s.io/CustomResourceDefinition',
  'rbac.authorization.k8s.io/ClusterRole',
  'rbac.authorization.k8s.io/ClusterRoleBinding',
  'storage.k8s.io/StorageClass',
  'scheduling.k8s.io/PriorityClass',
  'admissionregistration.k8s.io/ValidatingWebhookConfiguration',
  'admissionregistration.k8s.io/MutatingWebhookConfiguration',
  'apiregistration.k8s.io/APIService',
  'networking.k8s.io/IngressClass',
]);

/** Whether a kind is namespaced: from discovery when the cluster answered, else from the built-in list. */
export type ScopeOf = (apiVersion: string, kind: string) => 'Namespaced' | 'Cluster';

export const builtInScope: ScopeOf = (apiVersion, kind) =>
  CLUSTER_SCOPED.has(`${groupOf(apiVersion)}/${kind}`) ? 'Cluster' : 'Namespaced';
