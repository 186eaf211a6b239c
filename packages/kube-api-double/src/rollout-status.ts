import type { KubeObject } from './types.js';

// The status each kind's controller would write, for the rollout simulator.

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

export function statusFor(obj: KubeObject, options: RolloutOptions): Record<string, unknown> {
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
    case 'Pod':
      return podStatus(options);
    case 'PersistentVolumeClaim':
      return options.ready
        ? { phase: 'Bound', accessModes: ['ReadWriteOnce'], capacity: { storage: '1Gi' } }
        : { phase: options.deadlineExceeded ? 'Lost' : 'Pending' };
    case 'Service':
    case 'Ingress':
      return options.ready ? { loadBalancer: { ingress: [{ ip: '192.0.2.10' }] } } : { loadBalancer: {} };
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

function podStatus(options: RolloutOptions): Record<string, unknown> {
  const ready = options.ready ? 'True' : 'False';
  const state = options.ready
    ? { running: { startedAt: '2026-01-01T00:00:00Z' } }
    : { waiting: { reason: options.deadlineExceeded ? 'CrashLoopBackOff' : 'ContainerCreating' } };
  return {
    phase: options.ready || options.deadlineExceeded ? 'Running' : 'Pending',
    conditions: [
      { type: 'Ready', status: ready },
      { type: 'ContainersReady', status: ready },
    ],
    containerStatuses: [
      { name: 'main', ready: options.ready, restartCount: options.deadlineExceeded ? 5 : 0, state },
    ],
  };
}
