import type { KubeObject } from '../manifests/objects.js';
import { type Health, conditionOf, degraded, healthy, num, progressing, statusOf } from './util.js';

/** Whether the controller has seen the latest spec; a rollout is not judged before. */
function unobserved(object: KubeObject): Health | undefined {
  const observed = statusOf(object).observedGeneration;
  const generation = object.metadata.generation;
  if (typeof observed !== 'number') return progressing('waiting for the controller to observe the spec');
  if (typeof generation === 'number' && observed < generation) {
    return progressing(
      `waiting for the rollout to be observed (generation ${generation}, observed ${observed})`,
    );
  }
  return undefined;
}

export function deploymentHealth(object: KubeObject): Health {
  const spec = (object.spec ?? {}) as { replicas?: number; paused?: boolean };
  if (spec.paused) return progressing('the rollout is paused');
  const status = statusOf(object);
  const stalled = conditionOf(object, 'Progressing');
  if (stalled?.reason === 'ProgressDeadlineExceeded') {
    return degraded(`the rollout exceeded its progress deadline: ${stalled.message ?? ''}`.trim());
  }
  const waiting = unobserved(object);
  if (waiting) return waiting;
  const replicas = spec.replicas ?? 1;
  const updated = num(status.updatedReplicas);
  const available = num(status.availableReplicas);
  if (updated < replicas) return progressing(`${updated} of ${replicas} replicas updated`);
  if (num(status.replicas) > updated)
    return progressing(`${num(status.replicas) - updated} old replicas pending termination`);
  if (available < updated) return progressing(`${available} of ${updated} updated replicas available`);
  return healthy();
}

export function statefulSetHealth(object: KubeObject): Health {
  const waiting = unobserved(object);
  if (waiting) return waiting;
  const spec = (object.spec ?? {}) as { replicas?: number; updateStrategy?: { type?: string } };
  const status = statusOf(object);
  const replicas = spec.replicas ?? 1;
  if (num(status.readyReplicas) < replicas)
    return progressing(`${num(status.readyReplicas)} of ${replicas} pods ready`);
  if (spec.updateStrategy?.type === 'OnDelete') return healthy('updates on delete');
  if (status.updateRevision && status.currentRevision !== status.updateRevision) {
    return progressing(`pods are moving to revision ${String(status.updateRevision)}`);
  }
  return healthy();
}

export function daemonSetHealth(object: KubeObject): Health {
  const waiting = unobserved(object);
  if (waiting) return waiting;
  const status = statusOf(object);
  const desired = num(status.desiredNumberScheduled);
  if (num(status.updatedNumberScheduled) < desired) {
    return progressing(`${num(status.updatedNumberScheduled)} of ${desired} nodes updated`);
  }
  if (num(status.numberAvailable) < desired)
    return progressing(`${num(status.numberAvailable)} of ${desired} pods available`);
  return healthy();
}

export function replicaSetHealth(object: KubeObject): Health {
  const failure = conditionOf(object, 'ReplicaFailure');
  if (failure?.status === 'True') return degraded(failure.message ?? 'replica failure');
  const waiting = unobserved(object);
  if (waiting) return waiting;
  const replicas = ((object.spec ?? {}) as { replicas?: number }).replicas ?? 1;
  const available = num(statusOf(object).availableReplicas);
  if (available < replicas) return progressing(`${available} of ${replicas} replicas available`);
  return healthy();
}
