import { type KubeObject, groupOf } from '../manifests/objects.js';
import {
  cronJobHealth,
  ingressHealth,
  jobHealth,
  podHealth,
  pvcHealth,
  readyConditionHealth,
  serviceHealth,
} from './others.js';
import { type Health, healthy } from './status.js';
import { daemonSetHealth, deploymentHealth, replicaSetHealth, statefulSetHealth } from './workloads.js';

export { type Health, type HealthStatus, worstOf } from './status.js';

const BY_KIND: Record<string, (object: KubeObject) => Health> = {
  'apps/Deployment': deploymentHealth,
  'apps/StatefulSet': statefulSetHealth,
  'apps/DaemonSet': daemonSetHealth,
  'apps/ReplicaSet': replicaSetHealth,
  'batch/Job': jobHealth,
  'batch/CronJob': cronJobHealth,
  '/Pod': podHealth,
  '/Service': serviceHealth,
  'networking.k8s.io/Ingress': ingressHealth,
  '/PersistentVolumeClaim': pvcHealth,
};

/**
 * The health of one live object (gitops-engine's per-kind checks): undefined live is Missing; a kind
 * without a check is Healthy once it exists, unless it reports a `Ready` condition.
 */
export function healthOf(live: KubeObject | undefined): Health {
  if (!live) return { status: 'Missing', message: 'not in the cluster' };
  const check = BY_KIND[`${groupOf(live.apiVersion)}/${live.kind}`];
  if (check) return check(live);
  return readyConditionHealth(live) ?? healthy();
}
