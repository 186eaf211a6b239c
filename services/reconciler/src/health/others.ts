import type { KubeObject } from '../manifests/objects.js';
import { type Health, conditionOf, degraded, healthy, progressing, statusOf } from './util.js';

export function jobHealth(object: KubeObject): Health {
  const failed = conditionOf(object, 'Failed');
  if (failed?.status === 'True') return degraded(failed.message ?? failed.reason ?? 'the job failed');
  const complete = conditionOf(object, 'Complete');
  if (complete?.status === 'True') return healthy('complete');
  if ((object.spec as { suspend?: boolean } | undefined)?.suspend) return healthy('suspended');
  return progressing('the job is running');
}

/** Healthy unless the last scheduled run has not succeeded and none is running any more. */
export function cronJobHealth(object: KubeObject): Health {
  const status = statusOf(object);
  const scheduled = typeof status.lastScheduleTime === 'string' ? status.lastScheduleTime : undefined;
  const succeeded = typeof status.lastSuccessfulTime === 'string' ? status.lastSuccessfulTime : undefined;
  if (Array.isArray(status.active) && status.active.length > 0) return progressing('a run is active');
  if (scheduled && (!succeeded || Date.parse(succeeded) < Date.parse(scheduled))) {
    return degraded(`the run scheduled at ${scheduled} did not succeed`);
  }
  return healthy();
}

const BAD_WAITING = [
  'CrashLoopBackOff',
  'ImagePullBackOff',
  'ErrImagePull',
  'CreateContainerConfigError',
  'InvalidImageName',
];

interface ContainerStatus {
  name: string;
  ready?: boolean;
  state?: { waiting?: { reason?: string; message?: string } };
}

export function podHealth(object: KubeObject): Health {
  const status = statusOf(object);
  const containers = (
    Array.isArray(status.containerStatuses) ? status.containerStatuses : []
  ) as ContainerStatus[];
  const stuck = containers.find((c) => BAD_WAITING.includes(c.state?.waiting?.reason ?? ''));
  if (stuck) return degraded(`container ${stuck.name}: ${stuck.state!.waiting!.reason}`);
  switch (status.phase) {
    case 'Succeeded':
      return healthy('completed');
    case 'Failed':
      return degraded(typeof status.message === 'string' ? status.message : 'the pod failed');
    case 'Running':
      return containers.every((c) => c.ready) && containers.length > 0
        ? healthy()
        : progressing('containers are not ready');
    default:
      return progressing(`phase ${String(status.phase ?? 'Pending')}`);
  }
}

const hasIngressPoint = (object: KubeObject) => {
  const ingress = (statusOf(object).loadBalancer as { ingress?: unknown[] } | undefined)?.ingress;
  return Array.isArray(ingress) && ingress.length > 0;
};

export function serviceHealth(object: KubeObject): Health {
  if ((object.spec as { type?: string } | undefined)?.type !== 'LoadBalancer') return healthy();
  return hasIngressPoint(object) ? healthy() : progressing('waiting for the load balancer address');
}

export const ingressHealth = (object: KubeObject): Health =>
  hasIngressPoint(object) ? healthy() : progressing('waiting for the ingress address');

export function pvcHealth(object: KubeObject): Health {
  const phase = statusOf(object).phase;
  if (phase === 'Bound') return healthy();
  if (phase === 'Lost') return degraded('the volume is lost');
  return progressing(`phase ${String(phase ?? 'Pending')}`);
}

/** Any custom resource that reports a `Ready` condition (the kstatus convention Flux and most operators follow). */
export function readyConditionHealth(object: KubeObject): Health | undefined {
  const ready = conditionOf(object, 'Ready');
  if (!ready) return undefined;
  const observed = statusOf(object).observedGeneration;
  const generation = object.metadata.generation;
  if (typeof observed === 'number' && typeof generation === 'number' && observed < generation) {
    return progressing('waiting for the controller to observe the spec');
  }
  if (ready.status === 'True') return healthy(ready.message);
  if (conditionOf(object, 'Reconciling')?.status === 'True' || ready.status === 'Unknown') {
    return progressing(ready.message ?? ready.reason ?? 'reconciling');
  }
  return degraded(ready.message ?? ready.reason ?? 'not ready');
}
