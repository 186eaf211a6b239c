import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { at, deployment, doubleScope } from './test/client.js';

const scope = doubleScope();
const apply = scope.apply;

const ref = (name: string) => ({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name });

beforeEach(() => scope.double.resetRequests());

describe('server-side apply through the real client-node', () => {
  it('creates on apply, with server metadata, defaults and an Apply managedFields entry', async () => {
    const created = await apply(deployment('web'));
    expect(created.metadata?.uid).toBeTruthy();
    expect(created.metadata?.generation).toBe(1);
    const live = scope.double.get(ref('web'))!;
    expect(live.metadata.resourceVersion).toBe(created.metadata?.resourceVersion);
    expect(live.spec).toMatchObject({ replicas: 1, revisionHistoryLimit: 10, progressDeadlineSeconds: 600 });
    const [entry] = live.metadata.managedFields!;
    expect(entry).toMatchObject({
      manager: 'gitops-reconciler',
      operation: 'Apply',
      apiVersion: 'apps/v1',
      fieldsType: 'FieldsV1',
    });
    const container = at(
      entry!.fieldsV1,
      'f:spec',
      'f:template',
      'f:spec',
      'f:containers',
      'k:{"name":"web"}',
    );
    expect(container).toMatchObject({ '.': {}, 'f:image': {}, 'f:name': {} });
    expect(at(container, 'f:ports', 'k:{"containerPort":8080,"protocol":"TCP"}')).toMatchObject({ '.': {} });
    expect(at(entry!.fieldsV1, 'f:spec', 'f:replicas')).toBeUndefined();
    expect(scope.double.counts()).toMatchObject({ writes: 1 });
  });

  it('an identical apply changes nothing: same resourceVersion and generation', async () => {
    const before = scope.double.get(ref('web'))!;
    const again = await apply(deployment('web'));
    expect(again.metadata?.resourceVersion).toBe(before.metadata.resourceVersion);
    expect(scope.double.get(ref('web'))).toEqual(before);
  });

  it('a spec change moves generation; a label change does not', async () => {
    const image = await apply(deployment('web', 'nginx:1.28'));
    expect(image.metadata?.generation).toBe(2);
    const labelled = deployment('web', 'nginx:1.28');
    labelled.metadata.labels = { ...labelled.metadata.labels, ...{ tier: 'front' } };
    const relabelled = await apply(labelled);
    expect(relabelled.metadata?.generation).toBe(2);
    expect(Number(relabelled.metadata?.resourceVersion)).toBeGreaterThan(
      Number(image.metadata?.resourceVersion),
    );
  });

  it('removes fields dropped from the config that nobody else owns', async () => {
    await apply(deployment('trim', 'nginx:1', { replicas: 3, minReadySeconds: 5 }));
    await apply(deployment('trim', 'nginx:1', { replicas: 3 }));
    const live = scope.double.get(ref('trim'))!;
    expect(live.spec).not.toHaveProperty('minReadySeconds');
    expect(at(live, 'spec', 'replicas')).toBe(3);
  });

  it('answers 409 Conflict naming the other manager and field, and takes the field over with force', async () => {
    await apply(deployment('shared', 'nginx:1', { replicas: 2 }));
    scope.double.edit(ref('shared'), (obj) => {
      (obj.spec as { replicas: number }).replicas = 5;
    });
    const error = await apply(deployment('shared', 'nginx:1', { replicas: 2 })).catch((e) => e);
    expect(error.code).toBe(409);
    const status = JSON.parse(error.body);
    expect(status).toMatchObject({ kind: 'Status', reason: 'Conflict', code: 409 });
    expect(status.details.causes).toEqual([
      {
        reason: 'FieldManagerConflict',
        message: 'conflict with "kubectl-edit" using apps/v1',
        field: '.spec.replicas',
      },
    ]);
    expect(status.message).toContain('conflict with "kubectl-edit"');
    expect(at(scope.double.get(ref('shared')), 'spec', 'replicas')).toBe(5);

    const forced = await apply(deployment('shared', 'nginx:1', { replicas: 2 }), { force: true });
    expect(at(forced, 'spec', 'replicas')).toBe(2);
    const managers = scope.double.get(ref('shared'))!.metadata.managedFields!.map((m) => m.manager);
    expect(managers).toEqual(['gitops-reconciler']);
  });

  it('shares a field with the same value without conflict', async () => {
    await apply(deployment('same', 'nginx:1', { replicas: 2 }));
    await apply(deployment('same', 'nginx:1', { replicas: 2 }), { manager: 'other-tool' });
    const managers = scope.double.get(ref('same'))!.metadata.managedFields!.map((m) => m.manager);
    expect(managers).toEqual(['gitops-reconciler', 'other-tool']);
  });

  it('dryRun=All computes and answers but stores nothing and emits no write', async () => {
    const before = scope.double.resourceVersion();
    const answer = await apply(deployment('dry'), { dryRun: true });
    expect(answer.metadata?.name).toBe('dry');
    expect(at(answer, 'spec', 'replicas')).toBe(1);
    expect(scope.double.get(ref('dry'))).toBeUndefined();
    expect(scope.double.resourceVersion()).toBe(before);
    const conflict = await apply(deployment('shared', 'nginx:1', { replicas: 9 }), {
      manager: 'x',
      dryRun: true,
    }).catch((e) => e);
    expect(conflict.code).toBe(409);
    expect(scope.double.counts()).toMatchObject({ writes: 0 });
    expect(scope.double.requests.filter((r) => r.verb === 'patch').every((r) => r.dryRun)).toBe(true);
  });

  it('requires a fieldManager and a namespace that exists', async () => {
    const noManager = await scope.client.objects
      .patch(
        deployment('x') as KubernetesObject,
        undefined,
        undefined,
        undefined,
        undefined,
        PatchStrategy.ServerSideApply,
      )
      .catch((e) => e);
    expect(noManager.code).toBe(400);
    const elsewhere = { ...deployment('x'), metadata: { name: 'x', namespace: 'nowhere' } };
    const missing = await apply(elsewhere).catch((e) => e);
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toMatchObject({
      reason: 'NotFound',
      details: { name: 'nowhere', kind: 'namespaces' },
    });
  });

  it('never sets status from an applied manifest of a type with a status subresource', async () => {
    await apply({ ...deployment('st'), status: { replicas: 42 } });
    expect(scope.double.get(ref('st'))!.status).toBeUndefined();
    scope.double.setStatus(ref('st'), { observedGeneration: 1, replicas: 1 });
    const live = scope.double.get(ref('st'))!;
    expect(live.metadata.generation).toBe(1);
    await apply(deployment('st'));
    expect(scope.double.get(ref('st'))!.status).toEqual({ observedGeneration: 1, replicas: 1 });
  });
});
