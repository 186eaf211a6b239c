import type { KubeApiDouble } from './double.js';
import { type RolloutOptions, statusFor } from './rollout-status.js';
import type { KubeObject, ObjectRef } from './types.js';

export type { RolloutOptions };

// A tiny rollout simulator: writes the status a controller would report (see rollout-status.ts), so tests can
// make workloads, Jobs, Pods, PVCs, load balancers and custom resources (a `Ready` condition) Healthy,
// Progressing or Degraded.

export function rollout(double: KubeApiDouble, ref: ObjectRef, options: RolloutOptions): KubeObject {
  const obj = double.get(ref);
  if (!obj) throw new Error(`rollout: ${ref.kind} ${ref.namespace ?? ''}/${ref.name} does not exist`);
  return double.setStatus(ref, statusFor(obj, options));
}

export interface AutoRolloutOptions extends Partial<RolloutOptions> {
  /** Kinds to roll out (default Deployment, StatefulSet, DaemonSet). */
  kinds?: string[];
  namespace?: string;
}

/**
 * A stand-in for the workload controllers: whenever a matching object's generation moves past its
 * status.observedGeneration, its status is rolled out (ready by default). Answers a stop function.
 */
export function autoRollout(double: KubeApiDouble, options: AutoRolloutOptions = {}): () => void {
  const kinds = options.kinds ?? ['Deployment', 'StatefulSet', 'DaemonSet'];
  const settle = (obj: KubeObject) => {
    const ref = {
      apiVersion: obj.apiVersion,
      kind: obj.kind,
      namespace: obj.metadata.namespace,
      name: obj.metadata.name,
    };
    const live = double.get(ref);
    const observed = (live?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
    if (!live || observed === live.metadata.generation) return;
    rollout(double, ref, {
      ready: options.ready ?? true,
      ...(options.deadlineExceeded ? { deadlineExceeded: true } : {}),
    });
  };
  const matching = (obj: KubeObject) =>
    kinds.includes(obj.kind) &&
    (options.namespace === undefined || obj.metadata.namespace === options.namespace);
  for (const obj of double.list()) if (matching(obj)) settle(obj);
  return double.onChange(({ type, object }) => {
    if (type !== 'DELETED' && matching(object)) settle(object);
  });
}
