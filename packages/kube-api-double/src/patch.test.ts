import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { at, deployment, doubleScope } from './test/client.js';

const scope = doubleScope();

const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };

beforeAll(async () => {
  const sidecar = deployment('web');
  sidecar.spec.template.spec.containers.push({ name: 'proxy', image: 'envoy:1', ports: [] });
  scope.double.put(sidecar, 'kubectl-create');
});

const raw = (path: string, method: string, contentType: string, body: unknown) =>
  fetch(`${scope.double.url}${path}`, {
    method,
    headers: { authorization: 'Bearer double-token', 'content-type': contentType },
    body: JSON.stringify(body),
  });

describe('update-style writes', () => {
  it('a strategic merge patch merges containers by name', async () => {
    const patch = {
      metadata: { name: 'web', namespace: 'shop' },
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      spec: { template: { spec: { containers: [{ name: 'proxy', image: 'envoy:2' }] } } },
    };
    await scope.client.objects.patch(
      patch as KubernetesObject,
      undefined,
      undefined,
      'scaler',
      undefined,
      PatchStrategy.StrategicMergePatch,
    );
    const containers = at(scope.double.get(ref), 'spec', 'template', 'spec', 'containers') as {
      name: string;
      image: string;
    }[];
    expect(containers.map((c) => `${c.name}=${c.image}`)).toEqual(['web=nginx:1.27', 'proxy=envoy:2']);
    const entry = scope.double.get(ref)!.metadata.managedFields!.find((m) => m.manager === 'scaler')!;
    expect(entry.operation).toBe('Update');
  });

  it('a merge patch replaces lists and deletes with null', async () => {
    await scope.client.objects.patch(
      {
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        metadata: { name: 'web', namespace: 'shop', labels: { app: null } },
      } as unknown as KubernetesObject,
      undefined,
      undefined,
      'labeller',
      undefined,
      PatchStrategy.MergePatch,
    );
    expect(scope.double.get(ref)!.metadata.labels).toBeUndefined();
  });

  it('a JSON patch applies its operations and fails a test operation with 422', async () => {
    const path = '/apis/apps/v1/namespaces/shop/deployments/web?fieldManager=jp';
    const ok = await raw(path, 'PATCH', 'application/json-patch+json', [
      { op: 'replace', path: '/spec/replicas', value: 4 },
      { op: 'add', path: '/metadata/annotations', value: { 'a/b': 'c' } },
    ]);
    expect(ok.status).toBe(200);
    expect(at(scope.double.get(ref), 'spec', 'replicas')).toBe(4);
    const failed = await raw(path, 'PATCH', 'application/json-patch+json', [
      { op: 'test', path: '/spec/replicas', value: 9 },
    ]);
    expect(failed.status).toBe(422);
  });

  it('PUT replaces with optimistic concurrency on resourceVersion', async () => {
    const live = await scope.client.apps.readNamespacedDeployment({ namespace: 'shop', name: 'web' });
    live.spec!.replicas = 2;
    const replaced = await scope.client.apps.replaceNamespacedDeployment({
      namespace: 'shop',
      name: 'web',
      body: live,
    });
    expect(replaced.spec?.replicas).toBe(2);
    const stale = await scope.client.apps
      .replaceNamespacedDeployment({ namespace: 'shop', name: 'web', body: live })
      .catch((e) => e);
    expect(stale.code).toBe(409);
    expect(JSON.parse(stale.body).message).toContain('the object has been modified');
  });

  it('create answers 409 AlreadyExists; generateName makes up a name', async () => {
    const exists = await scope.client.objects.create(deployment('web') as KubernetesObject).catch((e) => e);
    expect(exists.code).toBe(409);
    expect(JSON.parse(exists.body).reason).toBe('AlreadyExists');
    const generated = await scope.client.core.createNamespacedConfigMap({
      namespace: 'shop',
      body: { metadata: { generateName: 'run-' } },
    });
    expect(generated.metadata?.name).toMatch(/^run-[a-z0-9]{5}$/);
  });

  it('delete preconditions on uid fail with 409 when the object was replaced', async () => {
    const failed = await scope.client.apps
      .deleteNamespacedDeployment({
        namespace: 'shop',
        name: 'web',
        body: { preconditions: { uid: 'not-the-uid' } },
      })
      .catch((e) => e);
    expect(failed.code).toBe(409);
    expect(scope.double.get(ref)).toBeDefined();
    await scope.client.apps.deleteNamespacedDeployment({
      namespace: 'shop',
      name: 'web',
      body: { preconditions: { uid: scope.double.get(ref)!.metadata.uid } },
    });
    expect(scope.double.get(ref)).toBeUndefined();
  });
});
