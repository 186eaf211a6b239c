import { type KubernetesObject, PatchStrategy } from '@kubernetes/client-node';
import { beforeEach, describe, expect, it } from 'vitest';
import { at, clientsFor, deployment, doubleScope } from './test/client.js';

const scope = doubleScope();
const apply = scope.apply;

const crd = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: { plural: 'widgets', singular: 'widget', kind: 'Widget', listKind: 'WidgetList' },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        schema: { openAPIV3Schema: { type: 'object' } },
        subresources: { status: {} },
      },
    ],
  },
};

beforeEach(() => scope.double.resetRequests());

describe('discovery', () => {
  it('serves version, core and group resource lists', async () => {
    const headers = { authorization: 'Bearer double-token' };
    type Discovery = {
      resources: { name: string; kind: string; namespaced: boolean }[];
      groups: { name: string }[];
    };
    const json = async (path: string) =>
      (await (await fetch(`${scope.double.url}${path}`, { headers })).json()) as Discovery;
    const version = await json('/version');
    expect(version).toMatchObject({ major: '1', minor: '32' });
    const apps = await json('/apis/apps/v1');
    expect(apps.resources).toContainEqual(
      expect.objectContaining({
        name: 'deployments',
        singularName: 'deployment',
        namespaced: true,
        kind: 'Deployment',
      }),
    );
    const groups = await json('/apis');
    expect(groups.groups.map((g) => g.name)).toEqual(
      expect.arrayContaining([
        'apps',
        'batch',
        'networking.k8s.io',
        'rbac.authorization.k8s.io',
        'apiextensions.k8s.io',
      ]),
    );
    const core = await json('/api/v1');
    expect(core.resources.find((r) => r.kind === 'Namespace')).toMatchObject({
      namespaced: false,
    });
    expect(scope.double.counts()).toEqual({ reads: 0, writes: 0, watches: 0, discovery: 4 });
  });

  it('refuses requests without the token', async () => {
    const response = await fetch(`${scope.double.url}/api/v1/namespaces`);
    expect(response.status).toBe(401);
  });

  it('registers the kinds of an applied CRD, then serves its custom resources', async () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { name: 'w', namespace: 'shop' },
      spec: { size: 3 },
    };
    await expect(apply(widget)).rejects.toThrow(/example.com\/v1\/Widget/);
    await apply(crd);
    const established = scope.double.get({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: crd.metadata.name,
    });
    expect(at(established, 'status', 'conditions')).toContainEqual(
      expect.objectContaining({ type: 'Established', status: 'True' }),
    );
    const fresh = clientsFor(scope.double);
    const created = await fresh.objects.patch(
      widget as KubernetesObject,
      undefined,
      undefined,
      'gitops-reconciler',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(created.metadata?.generation).toBe(1);
    const listed = await fresh.objects.list('example.com/v1', 'Widget', 'shop');
    expect(listed.items.map((w) => [w.kind, w.metadata?.name])).toEqual([['Widget', 'w']]);
  });
});

describe('CRD removal', () => {
  it('deleting a CRD deletes its custom resources and stops serving the kind', async () => {
    const gadgets = {
      ...crd,
      metadata: { name: 'gadgets.example.com' },
      spec: {
        ...crd.spec,
        scope: 'Cluster',
        names: { plural: 'gadgets', singular: 'gadget', kind: 'Gadget' },
      },
    };
    await apply(gadgets);
    const fresh = clientsFor(scope.double);
    const gadget = {
      apiVersion: 'example.com/v1',
      kind: 'Gadget',
      metadata: { name: 'g' },
      spec: { size: 1 },
    };
    await fresh.objects.patch(
      gadget as KubernetesObject,
      undefined,
      undefined,
      'gitops-reconciler',
      false,
      PatchStrategy.ServerSideApply,
    );
    expect(
      scope.double.get({ apiVersion: 'example.com/v1', kind: 'Gadget', name: 'g' })?.metadata,
    ).not.toHaveProperty('namespace');
    await fresh.objects.delete({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      metadata: { name: 'gadgets.example.com' },
    });
    expect(scope.double.list({ kind: 'Gadget' })).toEqual([]);
    const discovery = await (
      await fetch(`${scope.double.url}/apis/example.com/v1`, {
        headers: { authorization: 'Bearer double-token' },
      })
    ).json();
    expect((discovery as { resources: { kind: string }[] }).resources.map((r) => r.kind)).not.toContain(
      'Gadget',
    );
  });
});

describe('reads', () => {
  it('gets, lists per namespace and across namespaces, with label and field selectors', async () => {
    for (const [name, tier] of [
      ['a', 'front'],
      ['b', 'back'],
      ['c', 'front'],
    ]) {
      await apply({
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name, namespace: 'shop', labels: { tier: tier! } },
        data: { k: name },
      });
    }
    await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'd', namespace: 'default', labels: { tier: 'front' } },
    });
    const names = async (labelSelector?: string, fieldSelector?: string) =>
      (
        await scope.client.core.listNamespacedConfigMap({ namespace: 'shop', labelSelector, fieldSelector })
      ).items.map((i) => i.metadata?.name);
    expect(await names()).toEqual(['a', 'b', 'c']);
    expect(await names('tier=front')).toEqual(['a', 'c']);
    expect(await names('tier!=front')).toEqual(['b']);
    expect(await names('tier in (back,nowhere)')).toEqual(['b']);
    expect(await names('tier notin (back)')).toEqual(['a', 'c']);
    expect(await names('tier')).toEqual(['a', 'b', 'c']);
    expect(await names('!tier')).toEqual([]);
    expect(await names(undefined, 'metadata.name=b')).toEqual(['b']);
    const all = await scope.client.core.listConfigMapForAllNamespaces({ labelSelector: 'tier=front' });
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual([
      'default/d',
      'shop/a',
      'shop/c',
    ]);
    expect(all.metadata?.resourceVersion).toBe(scope.double.resourceVersion());
    const one = await scope.client.core.readNamespacedConfigMap({ namespace: 'shop', name: 'a' });
    expect(one.data).toEqual({ k: 'a' });
    const missing = await scope.client.apps
      .readNamespacedDeployment({ namespace: 'shop', name: 'nope' })
      .catch((e) => e);
    expect(missing.code).toBe(404);
    expect(JSON.parse(missing.body)).toEqual({
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: 'deployments.apps "nope" not found',
      reason: 'NotFound',
      details: { name: 'nope', group: 'apps', kind: 'deployments' },
      code: 404,
    });
    expect(scope.double.counts().reads).toBe(11);
  });
});

describe('writes behind the back', () => {
  const ref = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'edited' };

  it('edit records an Update managedFields entry for the person on the fields changed', async () => {
    await apply(deployment('edited'));
    const edited = scope.double.edit(ref, (obj) => {
      (at(obj, 'spec', 'template', 'spec', 'containers', 0) as { image: string }).image = 'nginx:hotfix';
    });
    const entry = edited.metadata.managedFields!.find((m) => m.manager === 'kubectl-edit')!;
    expect(entry.operation).toBe('Update');
    expect(entry.fieldsV1).toEqual({
      'f:spec': { 'f:template': { 'f:spec': { 'f:containers': { 'k:{"name":"web"}': { 'f:image': {} } } } } },
    });
    expect(edited.metadata.generation).toBe(2);
  });

  it('setStatus writes status without moving generation; put replaces as another manager', async () => {
    const status = scope.double.setStatus(ref, { observedGeneration: 2, replicas: 1 });
    expect(status.metadata.generation).toBe(2);
    expect(status.metadata.managedFields!.find((m) => m.subresource === 'status')?.manager).toBe(
      'kube-controller-manager',
    );
    const replaced = scope.double.put({ ...deployment('edited', 'nginx:put') }, 'helm');
    expect(replaced.status).toEqual({ observedGeneration: 2, replicas: 1 });
    expect(replaced.metadata.managedFields!.map((m) => m.manager)).toContain('helm');
  });
});

describe('delete', () => {
  it('deletes with Background propagation through ownerReferences, Orphan keeps dependents', async () => {
    const owner = await apply(deployment('owner'));
    const dependent = (name: string) => ({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name,
        namespace: 'shop',
        ownerReferences: [
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            name: 'owner',
            uid: owner.metadata!.uid!,
            controller: true,
          },
        ],
      },
      spec: {
        selector: { matchLabels: { app: 'owner' } },
        template: {
          metadata: { labels: { app: 'owner' } },
          spec: { containers: [{ name: 'web', image: 'x' }] },
        },
      },
    });
    scope.double.put(dependent('owner-rs'), 'kube-controller-manager');
    const status = await scope.client.objects.delete(
      { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'owner', namespace: 'shop' } },
      undefined,
      undefined,
      undefined,
      undefined,
      'Background',
    );
    expect(status).toMatchObject({
      kind: 'Status',
      status: 'Success',
      details: { name: 'owner', kind: 'deployments' },
    });
    expect(scope.double.list({ kind: 'ReplicaSet', namespace: 'shop' })).toEqual([]);

    const second = await apply(deployment('owner'));
    scope.double.put(
      {
        ...dependent('kept-rs'),
        metadata: {
          ...dependent('kept-rs').metadata,
          ownerReferences: [
            { apiVersion: 'apps/v1', kind: 'Deployment', name: 'owner', uid: second.metadata!.uid! },
          ],
        },
      },
      'kube-controller-manager',
    );
    await scope.client.apps.deleteNamespacedDeployment({
      namespace: 'shop',
      name: 'owner',
      propagationPolicy: 'Orphan',
    });
    const kept = scope.double.list({ kind: 'ReplicaSet', namespace: 'shop' });
    expect(kept.map((rs) => [rs.metadata.name, rs.metadata.ownerReferences])).toEqual([
      ['kept-rs', undefined],
    ]);
  });

  it('a dry-run delete deletes nothing; a namespace delete takes its objects with it', async () => {
    await scope.client.core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    await apply({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', namespace: 'doomed' } });
    await scope.client.core.deleteNamespacedConfigMap({ namespace: 'doomed', name: 'x', dryRun: 'All' });
    expect(scope.double.list({ namespace: 'doomed' })).toHaveLength(1);
    await scope.client.core.deleteNamespace({ name: 'doomed' });
    expect(scope.double.list({ namespace: 'doomed' })).toEqual([]);
    expect(scope.double.get({ apiVersion: 'v1', kind: 'Namespace', name: 'doomed' })).toBeUndefined();
  });

  it('an object with finalizers only gets a deletionTimestamp until they are removed', async () => {
    await apply({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held', namespace: 'shop', finalizers: ['example.com/hold'] },
    });
    await scope.client.core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'held' });
    const ref = { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'held' };
    expect(scope.double.get(ref)?.metadata.deletionTimestamp).toBeTruthy();
    const owner = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      name: 'held',
      uid: scope.double.get(ref)!.metadata.uid!,
    };
    scope.double.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'held-child', namespace: 'shop', ownerReferences: [owner] },
    });
    scope.double.edit(
      ref,
      (obj) => {
        obj.metadata.finalizers = [];
      },
      'finalizer-controller',
    );
    expect(scope.double.get(ref)).toBeUndefined();
    expect(scope.double.get({ ...ref, name: 'held-child' })).toBeUndefined();
  });
});

describe('failure injection and outages', () => {
  it('failNext answers the given status for matching requests, then recovers', async () => {
    scope.double.failNext({ verb: 'patch', kind: 'ConfigMap' }, 500, 2);
    const cm = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'flaky', namespace: 'shop' } };
    expect((await apply(cm).catch((e) => e)).code).toBe(500);
    expect((await apply(cm).catch((e) => e)).code).toBe(500);
    expect((await apply(cm)).metadata?.name).toBe('flaky');
    scope.double.failNext({ verb: 'delete' }, 429);
    const limited = await scope.client.core
      .deleteNamespacedConfigMap({ namespace: 'shop', name: 'flaky' })
      .catch((e) => e);
    expect(limited.code).toBe(429);
    expect(
      scope.double.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'flaky' }),
    ).toBeDefined();
  });

  it('down refuses connections on the same port until up', async () => {
    await scope.double.down();
    await expect(scope.client.core.readNamespace({ name: 'shop' })).rejects.toThrow();
    await scope.double.up();
    expect((await scope.client.core.readNamespace({ name: 'shop' })).metadata?.name).toBe('shop');
  });
});

describe('request accounting', () => {
  it('counts reads, writes that are not dry runs, watches and discovery; records each request', async () => {
    const fresh = clientsFor(scope.double);
    scope.double.resetRequests();
    const cm = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'counted', namespace: 'shop' },
      data: { a: '1' },
    };
    await fresh.objects.patch(
      cm as KubernetesObject,
      undefined,
      'All',
      'gitops-reconciler',
      false,
      PatchStrategy.ServerSideApply,
    );
    await fresh.objects.patch(
      cm as KubernetesObject,
      undefined,
      undefined,
      'gitops-reconciler',
      false,
      PatchStrategy.ServerSideApply,
    );
    await fresh.objects.read({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'counted', namespace: 'shop' },
    });
    await fresh.objects.list('v1', 'ConfigMap', 'shop');
    await (
      await fetch(`${scope.double.url}/api/v1/namespaces/shop/configmaps?watch=1&timeoutSeconds=1`, {
        headers: { authorization: 'Bearer double-token' },
      })
    ).text();
    await fresh.core.deleteNamespacedConfigMap({ namespace: 'shop', name: 'counted' });
    expect(scope.double.counts()).toEqual({ reads: 2, writes: 2, watches: 1, discovery: 1 });
    expect(scope.double.requests.map((r) => `${r.verb}${r.dryRun ? ' dry' : ''} ${r.status}`)).toEqual([
      'discovery 200',
      'patch dry 201',
      'patch 201',
      'get 200',
      'list 200',
      'watch 200',
      'delete 200',
    ]);
    expect(scope.double.requests[2]).toMatchObject({
      method: 'PATCH',
      path: '/api/v1/namespaces/shop/configmaps/counted',
      query: { fieldManager: 'gitops-reconciler', force: 'false' },
      kind: 'ConfigMap',
    });
  });

  it('answers 404 Status objects for paths it does not serve', async () => {
    const headers = { authorization: 'Bearer double-token' };
    for (const path of [
      '/apis/nothing.example.com/v1',
      '/api/v1/widgets',
      '/healthz',
      '/api/v1/namespaces/%E0%A4%A',
    ]) {
      const response = await fetch(`${scope.double.url}${path}`, { headers });
      expect(response.status).toBe(404);
      expect(await response.json()).toMatchObject({ kind: 'Status', reason: 'NotFound', code: 404 });
    }
  });

  it('accepts an apply body in YAML', async () => {
    const yaml = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: from-yaml',
      '  namespace: shop',
      'data:',
      '  a: "1"',
    ].join('\n');
    const response = await fetch(
      `${scope.double.url}/api/v1/namespaces/shop/configmaps/from-yaml?fieldManager=kubectl`,
      {
        method: 'PATCH',
        headers: { authorization: 'Bearer double-token', 'content-type': 'application/apply-patch+yaml' },
        body: yaml,
      },
    );
    expect(response.status).toBe(201);
    expect(
      scope.double.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'from-yaml' })?.data,
    ).toEqual({ a: '1' });
  });
});
