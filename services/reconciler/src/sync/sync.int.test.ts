import { describe, expect, it } from 'vitest';
import { configMap, deployment, harnessPerTest } from '../test/harness.js';

const scope = harnessPerTest();

const kustomization = (resources: string[]) => `resources: [${resources.join(', ')}]\n`;
const dev = <T extends string | null>(files: Record<string, T>) =>
  Object.fromEntries(Object.entries(files).map(([path, content]) => [`envs/dev/${path}`, content])) as Record<
    string,
    T
  >;
const ref = (kind: string, name: string, apiVersion = 'v1') => ({
  apiVersion,
  kind,
  namespace: 'shop',
  name,
});

describe('a sync against the Kubernetes API double', () => {
  it('applies the rendered objects with the inventory labels and reports deploy.succeeded once healthy', async () => {
    const harness = await scope.start({
      files: dev({
        'kustomization.yaml': kustomization(['web.yaml', 'settings.yaml']),
        'web.yaml': deployment('web'),
        'settings.yaml': configMap('settings'),
      }),
    });
    const stopRollout = harness.autoRollout();
    const answer = await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    stopRollout();
    expect(answer).not.toBe('superseded');
    const web = scope.servers.double.get(ref('Deployment', 'web', 'apps/v1'))!;
    expect(web.metadata.labels).toMatchObject({
      'gitops.platform/app': 'shop',
      'gitops.platform/environment': 'dev',
    });
    expect(web.metadata.managedFields?.some((entry) => entry.manager === 'gitops-reconciler')).toBe(true);
    const [started] = harness.named('deploy.started');
    const [succeeded] = harness.named('deploy.succeeded');
    expect(started?.data).toMatchObject({
      trigger: 'api',
      environment: 'dev',
      image: expect.stringContaining('@sha256:'),
    });
    expect(succeeded?.data).toMatchObject({
      health: 'Healthy',
      applied: ['ConfigMap/shop/settings', 'Deployment/shop/web'],
      pipelineId: expect.stringMatching(/^shop-sync-[0-9a-f]{12}-dev$/),
    });
    expect(succeeded?.data).not.toHaveProperty('commit');
  });

  it('makes no write and reads no object on a reconcile with no delta', async () => {
    const harness = await scope.start({
      files: dev({
        'kustomization.yaml': kustomization(['web.yaml', 'a.yaml', 'b.yaml']),
        'web.yaml': deployment('web'),
        'a.yaml': configMap('a'),
        'b.yaml': configMap('b'),
      }),
    });
    const stopRollout = harness.autoRollout();
    const environment = harness.app.config.environments[0]!;
    await harness.controller.sync(harness.app, environment, 'api');
    stopRollout();
    scope.servers.double.resetRequests();
    const before = harness.published.length;
    await harness.controller.sync(harness.app, environment, 'resync');
    expect(scope.servers.double.counts()).toEqual({ reads: 0, writes: 0, watches: 0, discovery: 0 });
    expect(harness.published.length).toBe(before);
  });

  it('prunes exactly the objects Git dropped, not protected or foreign ones', async () => {
    const harness = await scope.start({
      syncPolicy: { prune: true },
      files: dev({
        'kustomization.yaml': kustomization(['a.yaml', 'b.yaml', 'c.yaml', 'kept.yaml']),
        'a.yaml': configMap('a'),
        'b.yaml': configMap('b'),
        'c.yaml': configMap('c'),
        'kept.yaml': configMap('kept', ', annotations: { gitops.platform/prune: disabled }'),
      }),
    });
    scope.servers.double.put({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'foreign', namespace: 'shop' },
      data: {},
    });
    const environment = harness.app.config.environments[0]!;
    await harness.controller.sync(harness.app, environment, 'api');
    await harness.push(
      dev({
        'kustomization.yaml': kustomization(['a.yaml']),
        'b.yaml': null,
        'c.yaml': null,
        'kept.yaml': null,
      }),
    );
    await harness.controller.sync(harness.app, environment, 'config.pushed');
    const names = scope.servers.double
      .list({ kind: 'ConfigMap', namespace: 'shop' })
      .map((o) => o.metadata.name)
      .sort();
    expect(names).toEqual(['a', 'foreign', 'kept']);
    expect(harness.named('deploy.succeeded').at(-1)?.data).toMatchObject({
      pruned: ['ConfigMap/shop/b', 'ConfigMap/shop/c'],
    });
  });

  it('keeps an unconfirmed delete in the inventory and prunes it on the next pass', async () => {
    const harness = await scope.start({
      syncPolicy: { prune: true },
      files: dev({
        'kustomization.yaml': kustomization(['a.yaml', 'b.yaml']),
        'a.yaml': configMap('a'),
        'b.yaml': configMap('b'),
      }),
    });
    const environment = harness.app.config.environments[0]!;
    await harness.controller.sync(harness.app, environment, 'api');
    await harness.push(dev({ 'kustomization.yaml': kustomization(['a.yaml']), 'b.yaml': null }));
    scope.servers.double.failNext({ verb: 'delete', kind: 'ConfigMap' }, 500, 1);
    await harness.controller.sync(harness.app, environment, 'config.pushed');
    expect(scope.servers.double.get(ref('ConfigMap', 'b'))).toBeDefined();
    await harness.controller.sync(harness.app, environment, 'resync');
    expect(scope.servers.double.get(ref('ConfigMap', 'b'))).toBeUndefined();
  });

  it('goes from Progressing to Healthy when the rollout finishes', async () => {
    const harness = await scope.start({
      files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
    });
    const done = harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    // Applied and waiting: no verdict while the Deployment has not rolled out.
    await expect.poll(() => harness.named('deploy.started')).toHaveLength(1);
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(harness.named('deploy.succeeded')).toHaveLength(0);
    expect(harness.named('deploy.failed')).toHaveLength(0);
    const stopRollout = harness.autoRollout();
    await done;
    stopRollout();
    expect(harness.named('deploy.succeeded')).toHaveLength(1);
    expect((await harness.controller.status(harness.app))[0]).toMatchObject({
      sync: 'Synced',
      health: 'Healthy',
    });
  });

  it('turns Progressing into Degraded past the progress deadline and reports deploy.failed', async () => {
    const harness = await scope.start({
      healthTimeoutMs: 600,
      files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
    });
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    const [failed] = harness.named('deploy.failed');
    expect(failed?.data).toMatchObject({
      health: 'Degraded',
      error: { message: expect.stringMatching(/progress deadline/) },
    });
    expect(harness.named('deploy.succeeded')).toHaveLength(0);
  });

  it('ends a health wait at once when the service stops: no verdict, no deploy event, the job is retried', async () => {
    const harness = await scope.start({
      healthTimeoutMs: 60_000,
      files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
    });
    const started = Date.now();
    const sync = harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    await expect.poll(() => harness.named('deploy.started')).toHaveLength(1);
    harness.controller.stop();
    await expect(sync).rejects.toMatchObject({ code: 'GITOPS_RECONCILE_INTERRUPTED', retryable: true });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(harness.named('deploy.failed')).toHaveLength(0);
    expect(harness.named('deploy.succeeded')).toHaveLength(0);
  });

  it('reports Degraded at once when the controller says the rollout exceeded its deadline', async () => {
    const harness = await scope.start({
      files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
    });
    const timer = setInterval(() => {
      const web = scope.servers.double.get(ref('Deployment', 'web', 'apps/v1'));
      if (web)
        scope.servers.double.setStatus(ref('Deployment', 'web', 'apps/v1'), {
          observedGeneration: web.metadata.generation,
          conditions: [
            {
              type: 'Progressing',
              status: 'False',
              reason: 'ProgressDeadlineExceeded',
              message: 'timed out',
            },
          ],
        });
    }, 30);
    const started = Date.now();
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    clearInterval(timer);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(harness.named('deploy.failed')[0]?.data).toMatchObject({
      health: 'Degraded',
      error: { message: expect.stringMatching(/exceeded its progress deadline/) },
    });
  });

  it('refuses an object outside the destination namespace and writes nothing', async () => {
    const harness = await scope.start({
      files: dev({
        'kustomization.yaml': kustomization(['a.yaml', 'evil.yaml']),
        'a.yaml': configMap('a'),
        'evil.yaml': configMap('evil', ', namespace: kube-system'),
      }),
    });
    scope.servers.double.resetRequests();
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    expect(scope.servers.double.counts().writes).toBe(0);
    expect(harness.named('deploy.failed')[0]?.data).toMatchObject({
      error: {
        message: expect.stringContaining(
          'ConfigMap/kube-system/evil is outside the destination namespace shop',
        ),
      },
    });
  });

  it('reports a conflict with another field manager by name, and takes the field over only when the application forces', async () => {
    for (const forceConflicts of [false, true]) {
      const harness = await scope.start({
        syncPolicy: { forceConflicts },
        files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
      });
      const stopRollout = harness.autoRollout();
      const environment = harness.app.config.environments[0]!;
      await harness.controller.sync(harness.app, environment, 'api');
      scope.servers.double.edit(
        ref('Deployment', 'web', 'apps/v1'),
        (object) => {
          (object.spec as { replicas: number }).replicas = 5;
        },
        'kubectl-edit',
      );
      await harness.push(dev({ 'web.yaml': deployment('web', undefined, 3) }));
      await harness.controller.sync(harness.app, environment, 'config.pushed');
      stopRollout();
      const replicas = (
        scope.servers.double.get(ref('Deployment', 'web', 'apps/v1'))!.spec as { replicas: number }
      ).replicas;
      if (forceConflicts) {
        expect(replicas).toBe(3);
        expect(harness.named('deploy.succeeded')).toHaveLength(2);
      } else {
        expect(replicas).toBe(5);
        expect(harness.named('deploy.failed')[0]?.data).toMatchObject({
          error: { message: expect.stringContaining('kubectl-edit') },
        });
      }
      await harness.stop();
    }
  });

  it('runs one sync at a time per environment, and a newer request supersedes one still waiting', async () => {
    const harness = await scope.start({
      healthTimeoutMs: 1500,
      files: dev({ 'kustomization.yaml': kustomization(['web.yaml']), 'web.yaml': deployment('web') }),
    });
    const environment = harness.app.config.environments[0]!;
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const first = harness.controller.sync(harness.app, environment, 'api');
    await sleep(300);
    const second = harness.controller.sync(harness.app, environment, 'config.pushed');
    const background = harness.controller.sync(harness.app, environment, 'resync');
    await sleep(300);
    const third = harness.controller.sync(harness.app, environment, 'api');
    expect(await second).toBe('superseded');
    expect(await background).toBe('superseded');
    expect(await first).not.toBe('superseded');
    expect(await third).not.toBe('superseded');
    // Both syncs deployed one commit: one pipeline id, so their events have the same ids and are stored once.
    expect(harness.named('deploy.failed')).toHaveLength(1);
  });

  it('applies a CRD before the custom resources it defines, in one sync', async () => {
    const crd = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: { name: widgets.example.com }
spec:
  group: example.com
  scope: Namespaced
  names: { kind: Widget, plural: widgets, singular: widget, listKind: WidgetList }
  versions:
    - name: v1
      served: true
      storage: true
      schema: { openAPIV3Schema: { type: object, x-kubernetes-preserve-unknown-fields: true } }
`;
    const widget =
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: gear }\nspec: { teeth: 12 }\n';
    const harness = await scope.start({
      clusterResources: true,
      files: dev({
        'kustomization.yaml': kustomization(['widget.yaml', 'crd.yaml']),
        'crd.yaml': crd,
        'widget.yaml': widget,
      }),
    });
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    expect(harness.named('deploy.succeeded')[0]?.data).toMatchObject({
      applied: [
        'CustomResourceDefinition.apiextensions.k8s.io/widgets.example.com',
        'Widget.example.com/shop/gear',
      ],
    });
    expect(
      scope.servers.double.get({
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        namespace: 'shop',
        name: 'gear',
      }),
    ).toBeDefined();
    scope.servers.double.remove({
      apiVersion: 'apiextensions.k8s.io/v1',
      kind: 'CustomResourceDefinition',
      name: 'widgets.example.com',
    });
  });
});
