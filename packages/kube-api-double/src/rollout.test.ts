import { beforeAll, describe, expect, it } from 'vitest';
import { startKubeApiDouble } from './double.js';
import { autoRollout, rollout } from './rollout.js';
import { at, deployment, doubleScope } from './test/client.js';

const scope = doubleScope();

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

beforeAll(() => {
  scope.double.put(deployment('web', 'nginx:1', { replicas: 3 }), 'gitops-reconciler');
});

const condition = (type: string) =>
  (
    at(scope.double.get(ref), 'status', 'conditions') as { type: string; status: string; reason: string }[]
  ).find((c) => c.type === type);

describe('rollout', () => {
  it('reports a Deployment progressing, then available, then past its deadline', () => {
    rollout(scope.double, ref, { ready: false });
    expect(scope.double.get(ref)!.status).toMatchObject({
      observedGeneration: 1,
      replicas: 3,
      updatedReplicas: 3,
      availableReplicas: 0,
      unavailableReplicas: 3,
    });
    expect(condition('Progressing')).toMatchObject({ status: 'True', reason: 'ReplicaSetUpdated' });
    expect(condition('Available')).toMatchObject({ status: 'False' });

    const done = rollout(scope.double, ref, { ready: true });
    expect(done.status).toMatchObject({ readyReplicas: 3, availableReplicas: 3 });
    expect(done.status).not.toHaveProperty('unavailableReplicas');
    expect(condition('Progressing')).toMatchObject({ status: 'True', reason: 'NewReplicaSetAvailable' });
    expect(done.metadata.generation).toBe(1);

    rollout(scope.double, ref, { ready: false, deadlineExceeded: true });
    expect(condition('Progressing')).toMatchObject({ status: 'False', reason: 'ProgressDeadlineExceeded' });
  });

  it('can leave observedGeneration behind the spec', () => {
    scope.double.edit(ref, (obj) => {
      (obj.spec as { replicas: number }).replicas = 4;
    });
    const stale = rollout(scope.double, ref, { ready: true, observed: false });
    expect(stale.metadata.generation).toBe(2);
    expect(at(stale, 'status', 'observedGeneration')).toBe(1);
  });

  it('completes or fails a Job', () => {
    const job = { apiVersion: 'batch/v1', kind: 'Job', namespace: 'shop', name: 'migrate' };
    scope.double.put({
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'migrate:1' }] } },
      },
    });
    expect(rollout(scope.double, job, { ready: false }).status).toMatchObject({ active: 1 });
    expect(rollout(scope.double, job, { ready: true }).status).toMatchObject({
      succeeded: 1,
      conditions: [{ type: 'Complete', status: 'True' }],
    });
    expect(rollout(scope.double, job, { ready: false, deadlineExceeded: true }).status).toMatchObject({
      conditions: [{ type: 'Failed', reason: 'DeadlineExceeded' }],
    });
  });

  it('sets a Ready condition on a custom resource', async () => {
    const crd = {
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'databases.example.com' },
      spec: {
        group: 'example.com',
        scope: 'Namespaced',
        names: { plural: 'databases', singular: 'database', kind: 'Database' },
        versions: [{ name: 'v1', served: true, storage: true, subresources: { status: {} } }],
      },
    };
    const withCrd = await startKubeApiDouble({ namespaces: ['shop'], crds: [crd] });
    try {
      const db = { apiVersion: 'example.com/v1', kind: 'Database', namespace: 'shop', name: 'main' };
      withCrd.put({
        apiVersion: db.apiVersion,
        kind: db.kind,
        metadata: { name: 'main', namespace: 'shop' },
        spec: { size: 1 },
      });
      expect(rollout(withCrd, db, { ready: true }).status).toMatchObject({
        conditions: [{ type: 'Ready', status: 'True' }],
      });
      expect(rollout(withCrd, db, { ready: false, deadlineExceeded: true }).status).toMatchObject({
        conditions: [{ type: 'Ready', status: 'False', reason: 'Failed' }],
      });
    } finally {
      await withCrd.stop();
    }
  });

  it('reports Pods, claims and load balancers', () => {
    const put = (kind: string, name: string, spec: object) => {
      scope.double.put({ apiVersion: 'v1', kind, metadata: { name, namespace: 'shop' }, spec });
      return { apiVersion: 'v1', kind, namespace: 'shop', name };
    };
    const pod = put('Pod', 'p', { containers: [{ name: 'main', image: 'x:1' }] });
    expect(rollout(scope.double, pod, { ready: false }).status).toMatchObject({ phase: 'Pending' });
    expect(rollout(scope.double, pod, { ready: true }).status).toMatchObject({
      phase: 'Running',
      conditions: expect.arrayContaining([{ type: 'Ready', status: 'True' }]),
    });
    expect(rollout(scope.double, pod, { ready: false, deadlineExceeded: true }).status).toMatchObject({
      containerStatuses: [{ state: { waiting: { reason: 'CrashLoopBackOff' } } }],
    });
    const claim = put('PersistentVolumeClaim', 'data', {
      accessModes: ['ReadWriteOnce'],
      resources: { requests: { storage: '1Gi' } },
    });
    expect(rollout(scope.double, claim, { ready: true }).status).toMatchObject({ phase: 'Bound' });
    const lb = put('Service', 'lb', { type: 'LoadBalancer', ports: [{ port: 80 }] });
    expect(rollout(scope.double, lb, { ready: false }).status).toEqual({ loadBalancer: {} });
    expect(rollout(scope.double, lb, { ready: true }).status).toEqual({
      loadBalancer: { ingress: [{ ip: '192.0.2.10' }] },
    });
  });

  it('refuses built-in kinds it does not simulate', () => {
    scope.double.put({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c', namespace: 'shop' } });
    expect(() =>
      rollout(
        scope.double,
        { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'c' },
        { ready: true },
      ),
    ).toThrow(/not a workload/);
  });
});

describe('autoRollout', () => {
  it('rolls out every new generation until stopped', async () => {
    const name = 'auto';
    const autoRef = { ...ref, name };
    const stop = autoRollout(scope.double, { namespace: 'shop' });
    const observed = () =>
      (scope.double.get(autoRef)?.status as { observedGeneration?: number } | undefined)?.observedGeneration;
    const settled = async (generation: number) => {
      for (let i = 0; i < 100 && observed() !== generation; i++) await new Promise((r) => setTimeout(r, 10));
      return observed();
    };
    try {
      scope.double.put(deployment(name), 'gitops-reconciler');
      expect(await settled(1)).toBe(1);
      scope.double.edit(autoRef, (obj) => {
        (obj.spec as { replicas: number }).replicas = 2;
      });
      expect(await settled(2)).toBe(2);
      expect(scope.double.get(autoRef)!.status).toMatchObject({ availableReplicas: 2 });
    } finally {
      stop();
    }
    scope.double.edit(autoRef, (obj) => {
      (obj.spec as { replicas: number }).replicas = 3;
    });
    await new Promise((r) => setTimeout(r, 50));
    expect(observed()).toBe(2);
  });
});
