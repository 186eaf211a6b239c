import type { KubeApiDouble } from './double.js';
import type { KubeObject, ObjectRef } from './types.js';

// A tiny rollout simulator: writes the status a controller would report, so tests can make a Deployment,
// StatefulSet, DaemonSet, ReplicaSet, Job or custom resource (a `Ready` condition) Healthy, Progressing or
// Degraded.

export interface RolloutOptions {
  /** All replicas updated and available (Healthy) or none yet (Progressing). */
  ready: boolean;
  /**
   * The controller gave up: Progressing=False with reason ProgressDeadlineExceeded (Deployments), a Failed
   * condition with reason DeadlineExceeded (Jobs), Ready=False with reason Failed (custom resources).
   */
  deadlineExceeded?: boolean;
  /** The controller has seen the latest spec (observedGeneration = generation); default true. */
  observed?: boolean;
}

const condition = (type: string, status: boolean, reason: string, message: string) => {
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    type,
    status: status ? 'True' : 'False',
    lastUpdateTime: at,
    lastTransitionTime: at,
    reason,
    message,
  };
};

function replicasOf(obj: KubeObject): number {
  const replicas = (obj.spec as { replicas?: number } | undefined)?.replicas;
  return typeof replicas === 'number' ? replicas : 1;
}

function statusFor(obj: KubeObject, options: RolloutOptions): Record<string, unknown> {
  const generation = obj.metadata.generation ?? 1;
  const observedGeneration = options.observed === false ? generation - 1 : generation;
  const n = replicasOf(obj);
  const ready = options.ready ? n : 0;
  switch (obj.kind) {
    case 'Deployment': {
      const progressing = options.deadlineExceeded
        ? condition(
            'Progressing',
            false,
            'ProgressDeadlineExceeded',
            `ReplicaSet "${obj.metadata.name}" has timed out progressing.`,
          )
        : condition(
            'Progressing',
            true,
            options.ready ? 'NewReplicaSetAvailable' : 'ReplicaSetUpdated',
            `ReplicaSet "${obj.metadata.name}" is progressing.`,
          );
      return {
        observedGeneration,
        replicas: n,
        updatedReplicas: n,
        readyReplicas: ready,
        availableReplicas: ready,
        ...(n - ready > 0 ? { unavailableReplicas: n - ready } : {}),
        conditions: [
          options.ready
            ? condition('Available', true, 'MinimumReplicasAvailable', 'Deployment has minimum availability.')
            : condition(
                'Available',
                false,
                'MinimumReplicasUnavailable',
                'Deployment does not have minimum availability.',
              ),
          progressing,
        ],
      };
    }
    case 'StatefulSet':
      return {
        observedGeneration,
        replicas: n,
        readyReplicas: ready,
        availableReplicas: ready,
        currentReplicas: ready,
        updatedReplicas: n,
        currentRevision: `${obj.metadata.name}-${options.ready ? 'new' : 'old'}`,
        updateRevision: `${obj.metadata.name}-new`,
      };
    case 'DaemonSet':
      return {
        observedGeneration,
        desiredNumberScheduled: n,
        currentNumberScheduled: n,
        updatedNumberScheduled: n,
        numberReady: ready,
        numberAvailable: ready,
        ...(n - ready > 0 ? { numberUnavailable: n - ready } : {}),
        numberMisscheduled: 0,
      };
    case 'ReplicaSet':
      return {
        observedGeneration,
        replicas: n,
        fullyLabeledReplicas: n,
        readyReplicas: ready,
        availableReplicas: ready,
      };
    case 'Job':
      return jobStatus(obj, options);
    default:
      if (BUILTIN_GROUPS.has(obj.apiVersion.split('/').slice(0, -1).join('/'))) {
        throw new Error(`rollout: ${obj.kind} is not a workload or custom resource the simulator knows`);
      }
      return {
        observedGeneration,
        conditions: [
          options.ready
            ? condition('Ready', true, 'Succeeded', 'ready')
            : options.deadlineExceeded
              ? condition('Ready', false, 'Failed', 'reconciliation failed')
              : condition('Ready', false, 'Progressing', 'reconciliation in progress'),
        ],
      };
  }
}

const BUILTIN_GROUPS = new Set([
  '',
  'apps',
  'batch',
  'networking.k8s.io',
  'rbac.authorization.k8s.io',
  'apiextensions.k8s.io',
]);

function jobStatus(obj: KubeObject, options: RolloutOptions): Record<string, unknown> {
  const completions = (obj.spec as { completions?: number } | undefined)?.completions ?? 1;
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  if (options.ready) {
    return {
      startTime: at,
      completionTime: at,
      succeeded: completions,
      conditions: [{ type: 'Complete', status: 'True', lastProbeTime: at, lastTransitionTime: at }],
    };
  }
  if (options.deadlineExceeded) {
    return {
      startTime: at,
      failed: 1,
      conditions: [
        {
          type: 'Failed',
          status: 'True',
          reason: 'DeadlineExceeded',
          message: 'Job was active longer than specified deadline',
          lastProbeTime: at,
          lastTransitionTime: at,
        },
      ],
    };
  }
  return { startTime: at, active: 1 };
}

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
