import { type JsonObject, type KubeObject, isObject, unset } from './types.js';

// The defaults a real API server fills in on every write, so that a live object differs from the applied
// manifest the way it does on a cluster. A small table, not the full set: see README "Defaults".

const obj = (parent: JsonObject, field: string): JsonObject => {
  if (!isObject(parent[field])) parent[field] = {};
  return parent[field] as JsonObject;
};
const fill = (target: JsonObject, values: JsonObject) => {
  for (const [field, value] of Object.entries(values)) if (target[field] === undefined) target[field] = value;
};
const list = (value: unknown): JsonObject[] => (Array.isArray(value) ? value.filter(isObject) : []);

function imagePullPolicy(image: unknown): string {
  const name = String(image ?? '');
  if (name.includes('@')) return 'IfNotPresent';
  const tag = name.slice(name.lastIndexOf('/') + 1).split(':')[1];
  return !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
}

function containerDefaults(container: JsonObject): void {
  fill(container, {
    imagePullPolicy: imagePullPolicy(container.image),
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    resources: {},
  });
  for (const port of list(container.ports)) fill(port, { protocol: 'TCP' });
}

function podSpecDefaults(spec: JsonObject): void {
  fill(spec, {
    restartPolicy: 'Always',
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    securityContext: {},
    schedulerName: 'default-scheduler',
  });
  for (const container of [...list(spec.containers), ...list(spec.initContainers)])
    containerDefaults(container);
}

function templateDefaults(spec: JsonObject): void {
  const template = obj(spec, 'template');
  // The real server serialises an unset template creationTimestamp as null: a classic source of diff noise.
  const metadata = obj(template, 'metadata');
  if (!('creationTimestamp' in metadata)) metadata.creationTimestamp = null;
  podSpecDefaults(obj(template, 'spec'));
}

let nextClusterIp = 1;
const allocateClusterIp = () => {
  const n = nextClusterIp++;
  return `10.96.${Math.floor(n / 250) % 250}.${(n % 250) + 1}`;
};

const BY_KIND: Record<string, (o: KubeObject) => void> = {
  Deployment: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, {
      replicas: 1,
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
    });
    templateDefaults(spec);
  },
  StatefulSet: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, {
      replicas: 1,
      revisionHistoryLimit: 10,
      podManagementPolicy: 'OrderedReady',
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' },
    });
    templateDefaults(spec);
  },
  DaemonSet: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, {
      revisionHistoryLimit: 10,
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } },
    });
    templateDefaults(spec);
  },
  ReplicaSet: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, { replicas: 1 });
    templateDefaults(spec);
  },
  Job: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, {
      backoffLimit: 6,
      completions: 1,
      parallelism: 1,
      completionMode: 'NonIndexed',
      suspend: false,
    });
    templateDefaults(spec);
    // The server generates a Job's selector and the matching template labels from its uid.
    if (spec.selector === undefined && spec.manualSelector !== true && o.metadata.uid) {
      const uid = o.metadata.uid;
      spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
      const template = obj(obj(spec, 'template'), 'metadata');
      fill(obj(template, 'labels'), {
        'batch.kubernetes.io/controller-uid': uid,
        'batch.kubernetes.io/job-name': o.metadata.name,
        'controller-uid': uid,
        'job-name': o.metadata.name,
      });
    }
  },
  CronJob: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, {
      concurrencyPolicy: 'Allow',
      suspend: false,
      successfulJobsHistoryLimit: 3,
      failedJobsHistoryLimit: 1,
    });
    templateDefaults(obj(obj(spec, 'jobTemplate'), 'spec'));
  },
  Pod: (o) => podSpecDefaults(obj(o, 'spec')),
  Service: (o) => {
    const spec = obj(o, 'spec');
    fill(spec, { type: 'ClusterIP', sessionAffinity: 'None', internalTrafficPolicy: 'Cluster' });
    if (spec.clusterIP === undefined) spec.clusterIP = allocateClusterIp();
    fill(spec, { clusterIPs: [spec.clusterIP], ipFamilies: ['IPv4'], ipFamilyPolicy: 'SingleStack' });
    for (const port of list(spec.ports)) fill(port, { protocol: 'TCP', targetPort: port.port });
  },
  Namespace: (o) => {
    const labels = obj(o.metadata, 'labels') as Record<string, string>;
    labels['kubernetes.io/metadata.name'] = o.metadata.name;
    fill(obj(o, 'spec'), { finalizers: ['kubernetes'] });
    fill(obj(o, 'status'), { phase: 'Active' });
  },
  Secret: (o) => {
    fill(o, { type: 'Opaque' });
    // stringData is write-only: the server folds it into data.
    if (isObject(o.stringData)) {
      const data = obj(o, 'data');
      for (const [key, value] of Object.entries(o.stringData))
        data[key] = Buffer.from(String(value)).toString('base64');
      unset(o, 'stringData');
    }
  },
  PersistentVolumeClaim: (o) => {
    fill(obj(o, 'spec'), { volumeMode: 'Filesystem' });
    fill(obj(o, 'status'), { phase: 'Pending' });
  },
};

export function applyDefaults(object: KubeObject): void {
  BY_KIND[object.kind]?.(object);
}
