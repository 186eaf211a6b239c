import { describe, expect, it } from 'vitest';
import { at, deployment, doubleScope } from './test/client.js';

const scope = doubleScope();
const apply = scope.apply;

// Finer server-side apply semantics: keyed lists, shared maps, subresources, the defaults of every kind
// staying put on an identical apply.

const ref = (name: string, kind = 'Deployment', apiVersion = 'apps/v1') => ({
  apiVersion,
  kind,
  namespace: 'shop',
  name,
});
const containersOf = (name: string) =>
  (
    at(scope.double.get(ref(name)), 'spec', 'template', 'spec', 'containers') as {
      name: string;
      env?: { name: string }[];
    }[]
  ).map((c) => c.name);

describe('keyed lists and shared maps', () => {
  it('removes a container dropped from the config, keeps the others merged by name', async () => {
    const two = deployment('lists');
    two.spec.template.spec.containers.push({ name: 'sidecar', image: 'envoy:1', ports: [] });
    await apply(two);
    expect(containersOf('lists')).toEqual(['web', 'sidecar']);
    await apply(deployment('lists'));
    expect(containersOf('lists')).toEqual(['web']);
  });

  it('removes a keyed list left empty, and owns an empty list as a whole', async () => {
    const withEnv = deployment('emptied');
    Object.assign(withEnv.spec.template.spec.containers[0]!, { env: [{ name: 'A', value: '1' }] });
    await apply(withEnv);
    await apply(deployment('emptied'));
    expect(
      at(scope.double.get(ref('emptied')), 'spec', 'template', 'spec', 'containers', 0),
    ).not.toHaveProperty('env');
    const noPorts = deployment('emptied');
    noPorts.spec.template.spec.containers[0]!.ports = [];
    await apply(noPorts);
    const entry = scope.double
      .get(ref('emptied'))!
      .metadata.managedFields!.find((m) => m.manager === 'gitops-reconciler');
    expect(
      at(entry!.fieldsV1, 'f:spec', 'f:template', 'f:spec', 'f:containers', 'k:{"name":"web"}', 'f:ports'),
    ).toEqual({});
  });

  it("keeps another manager's env var and label, removes the applier's own dropped label", async () => {
    const labelled = deployment('mixed');
    labelled.metadata.labels = { ...labelled.metadata.labels, ...{ owner: 'team-a' } };
    await apply(labelled);
    scope.double.edit(ref('mixed'), (obj) => {
      obj.metadata.labels = { ...obj.metadata.labels, hotfix: 'yes' };
      const container = at(obj, 'spec', 'template', 'spec', 'containers', 0) as { env?: unknown[] };
      container.env = [{ name: 'DEBUG', value: '1' }];
    });
    await apply(deployment('mixed'));
    const live = scope.double.get(ref('mixed'))!;
    expect(live.metadata.labels).toEqual({ app: 'mixed', hotfix: 'yes' });
    expect(at(live, 'spec', 'template', 'spec', 'containers', 0, 'env')).toEqual([
      { name: 'DEBUG', value: '1' },
    ]);
    const editor = live.metadata.managedFields!.find((m) => m.manager === 'kubectl-edit')!;
    expect(at(editor.fieldsV1, 'f:metadata', 'f:labels', 'f:hotfix')).toEqual({});
  });

  it('a dry-run update answers the would-be object with the live resourceVersion and stores nothing', async () => {
    const live = scope.double.get(ref('mixed'))!;
    const answer = await apply(deployment('mixed', 'nginx:next'), { dryRun: true });
    expect(at(answer, 'spec', 'template', 'spec', 'containers', 0, 'image')).toBe('nginx:next');
    expect(answer.metadata?.generation).toBe((live.metadata.generation ?? 0) + 1);
    expect(answer.metadata?.resourceVersion).toBe(live.metadata.resourceVersion);
    expect(scope.double.get(ref('mixed'))).toEqual(live);
  });
});

describe('an identical apply is a no-op for every defaulted kind', () => {
  const manifests = [
    { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'extra', labels: { team: 'a' } } },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'shop' },
      spec: { selector: { app: 'x' }, ports: [{ port: 80 }] },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'sec', namespace: 'shop' },
      stringData: { password: 'x' },
    },
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'cm', namespace: 'shop' }, data: { a: '1' } },
    {
      apiVersion: 'batch/v1',
      kind: 'CronJob',
      metadata: { name: 'cron', namespace: 'shop' },
      spec: {
        schedule: '* * * * *',
        jobTemplate: {
          spec: {
            template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox' }] } },
          },
        },
      },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'StatefulSet',
      metadata: { name: 'db', namespace: 'shop' },
      spec: {
        serviceName: 'db',
        selector: { matchLabels: { app: 'db' } },
        template: {
          metadata: { labels: { app: 'db' } },
          spec: { containers: [{ name: 'db', image: 'postgres:16' }] },
        },
      },
    },
    deployment('noop'),
  ];

  for (const manifest of manifests) {
    it(`${manifest.kind}`, async () => {
      const first = await apply(manifest);
      const before = scope.double.resourceVersion();
      const second = await apply(manifest);
      expect(second.metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
      expect(scope.double.resourceVersion()).toBe(before);
    });
  }

  it('Job', async () => {
    const job = {
      apiVersion: 'batch/v1',
      kind: 'Job',
      metadata: { name: 'migrate', namespace: 'shop' },
      spec: {
        template: { spec: { restartPolicy: 'Never', containers: [{ name: 'm', image: 'migrate:1' }] } },
      },
    };
    const first = await apply(job);
    expect((await apply(job)).metadata?.resourceVersion).toBe(first.metadata?.resourceVersion);
    const uid = first.metadata?.uid;
    expect(at(first, 'spec', 'selector')).toEqual({
      matchLabels: { 'batch.kubernetes.io/controller-uid': uid },
    });
    expect(at(first, 'spec', 'template', 'metadata', 'labels')).toMatchObject({
      'job-name': 'migrate',
      'controller-uid': uid,
    });
    const changed = structuredClone(job);
    changed.spec.template.spec.containers[0]!.image = 'migrate:2';
    const immutable = await apply(changed).catch((e) => e);
    expect(immutable.code).toBe(422);
    expect(JSON.parse(immutable.body).message).toContain('spec.template: Invalid value: field is immutable');
  });

  it('serves the defaults a real server adds', () => {
    const svc = scope.double.get(ref('svc', 'Service', 'v1'))!;
    expect(svc.spec).toMatchObject({
      type: 'ClusterIP',
      sessionAffinity: 'None',
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }],
    });
    expect(at(svc, 'spec', 'clusterIP')).toMatch(/^10\.96\./);
    const secret = scope.double.get(ref('sec', 'Secret', 'v1'))!;
    expect(secret).toMatchObject({ type: 'Opaque', data: { password: Buffer.from('x').toString('base64') } });
    expect(secret).not.toHaveProperty('stringData');
    const template = at(scope.double.get(ref('noop')), 'spec', 'template') as object;
    expect(template).toMatchObject({
      metadata: { creationTimestamp: null },
      spec: {
        restartPolicy: 'Always',
        dnsPolicy: 'ClusterFirst',
        containers: [{ imagePullPolicy: 'IfNotPresent', terminationMessagePath: '/dev/termination-log' }],
      },
    });
  });
});

describe('validation', () => {
  it('answers 422 Invalid for a changed Deployment selector and a selector that misses the template', async () => {
    await apply(deployment('fixed'));
    const moved = deployment('fixed');
    moved.spec.selector = { matchLabels: { app: 'other' } };
    moved.spec.template.metadata.labels = { app: 'other' };
    const immutable = await apply(moved).catch((e) => e);
    expect(immutable.code).toBe(422);
    expect(JSON.parse(immutable.body)).toMatchObject({
      reason: 'Invalid',
      message: 'Deployment.apps "fixed" is invalid: spec.selector: Invalid value: field is immutable',
      details: { kind: 'Deployment', causes: [{ field: 'spec.selector' }] },
    });
    const mismatch = deployment('mismatch');
    mismatch.spec.template.metadata.labels = { app: 'nope' };
    expect((await apply(mismatch).catch((e) => e)).code).toBe(422);
    expect(
      (await apply({ ...deployment('bad-'), metadata: { name: 'bad-', namespace: 'shop' } }).catch((e) => e))
        .code,
    ).toBe(422);
  });
});

describe('the status subresource', () => {
  it('a controller applies status on /status; the main resource apply leaves it alone', async () => {
    await apply(deployment('stat'));
    const response = await fetch(
      `${scope.double.url}/apis/apps/v1/namespaces/shop/deployments/stat/status?fieldManager=rollout-controller`,
      {
        method: 'PATCH',
        headers: { authorization: 'Bearer double-token', 'content-type': 'application/apply-patch+yaml' },
        body: JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: { name: 'stat', namespace: 'shop' },
          status: { replicas: 1, readyReplicas: 1 },
        }),
      },
    );
    expect(response.status).toBe(200);
    const live = scope.double.get(ref('stat'))!;
    expect(live.status).toEqual({ replicas: 1, readyReplicas: 1 });
    expect(live.metadata.generation).toBe(1);
    expect(live.metadata.managedFields!.find((m) => m.manager === 'rollout-controller')).toMatchObject({
      operation: 'Apply',
      subresource: 'status',
    });
    await apply(deployment('stat', 'nginx:2'));
    expect(scope.double.get(ref('stat'))!.status).toEqual({ replicas: 1, readyReplicas: 1 });
  });
});

describe('conflict messages', () => {
  it('name Apply managers plainly and Update managers with their apiVersion, grouped when several', async () => {
    await apply(deployment('contested', 'nginx:1', { replicas: 1, minReadySeconds: 1 }), {
      manager: 'team-a',
    });
    scope.double.edit(ref('contested'), (obj) => {
      (obj.spec as { minReadySeconds: number }).minReadySeconds = 7;
    });
    const error = await apply(deployment('contested', 'nginx:2', { replicas: 3, minReadySeconds: 2 })).catch(
      (e) => e,
    );
    const status = JSON.parse(error.body);
    expect(status.message).toBe(
      [
        'Apply failed with 3 conflicts: conflicts with "kubectl-edit" using apps/v1:',
        '- .spec.minReadySeconds',
        'conflicts with "team-a":',
        '- .spec.replicas',
        '- .spec.template.spec.containers[name="web"].image',
      ].join('\n'),
    );
    expect(status.details.causes).toContainEqual({
      reason: 'FieldManagerConflict',
      message: 'conflict with "team-a"',
      field: '.spec.replicas',
    });
  });
});
