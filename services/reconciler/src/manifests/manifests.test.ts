import { describe, expect, it } from 'vitest';
import { guard } from './guard.js';
import { appImage } from './image.js';
import { APP_LABEL, ENV_LABEL } from './inventory.js';
import type { KubeObject } from './objects.js';
import { applyBatches } from './order.js';
import { builtInScope } from './scope.js';

const object = (
  kind: string,
  name: string,
  extra: Partial<KubeObject['metadata']> = {},
  apiVersion = 'v1',
): KubeObject => ({
  apiVersion,
  kind,
  metadata: { name, ...extra },
});
const rules = (clusterResources = false) => ({
  owner: { app: 'shop', environment: 'dev' },
  destination: { namespace: 'shop', clusterResources },
  scopeOf: builtInScope,
  maxObjects: 10,
});

describe('guard', () => {
  it('places namespaced objects in the destination and labels them for the inventory', () => {
    const [placed] = guard([object('ConfigMap', 'c')], rules());
    expect(placed!.metadata).toEqual({
      name: 'c',
      namespace: 'shop',
      labels: { [APP_LABEL]: 'shop', [ENV_LABEL]: 'dev' },
    });
  });

  it('refuses an object in another namespace, naming it', () => {
    expect(() => guard([object('ConfigMap', 'c', { namespace: 'kube-system' })], rules())).toThrow(
      'ConfigMap/kube-system/c is outside the destination namespace shop',
    );
  });

  it('refuses cluster-scoped objects unless the application may own them', () => {
    const namespace = object('Namespace', 'shop');
    expect(() => guard([namespace], rules())).toThrow(/Namespace\/shop is cluster-scoped/);
    expect(guard([namespace], rules(true))[0]!.metadata.namespace).toBeUndefined();
  });

  it('refuses more objects than the limit and duplicates, all at once', () => {
    const many = Array.from({ length: 11 }, () => object('ConfigMap', 'same'));
    expect(() => guard(many, rules())).toThrow(
      /11 objects rendered.*ConfigMap\/shop\/same is rendered twice/,
    );
  });
});

describe('applyBatches', () => {
  it('puts Namespaces and CRDs first, then waves in order, kinds ordered within', () => {
    const batches = applyBatches([
      object('Deployment', 'web', {}, 'apps/v1'),
      object('Service', 'web'),
      object('Job', 'migrate', { annotations: { 'gitops.platform/sync-wave': '-1' } }, 'batch/v1'),
      object('CustomResourceDefinition', 'widgets.example.com', {}, 'apiextensions.k8s.io/v1'),
      object('Namespace', 'shop'),
      object('ConfigMap', 'late', { annotations: { 'argocd.argoproj.io/sync-wave': '5' } }),
    ]);
    expect(batches.map((batch) => batch.map((o) => o.kind))).toEqual([
      ['Namespace', 'CustomResourceDefinition'],
      ['Job'],
      ['Service', 'Deployment'],
      ['ConfigMap'],
    ]);
  });
});

describe('appImage', () => {
  it("finds the application's image pinned by digest in any pod template", () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    const cron = {
      ...object('CronJob', 'c', {}, 'batch/v1'),
      spec: {
        jobTemplate: {
          spec: { template: { spec: { containers: [{ name: 'x', image: `r/app@${digest}` }] } } },
        },
      },
    };
    expect(appImage([object('Service', 's'), cron], 'r/app')).toBe(`r/app@${digest}`);
    expect(appImage([cron], 'r/other')).toBeUndefined();
  });

  it('drops the version tag kept beside the digest, and ignores a longer repository of the same prefix', () => {
    const digest = `sha256:${'c'.repeat(64)}`;
    const pod = (image: string) => ({ ...object('Pod', 'p'), spec: { containers: [{ name: 'x', image }] } });
    expect(appImage([pod(`127.0.0.1:5000/r/app:main-abc1234-3@${digest}`)], '127.0.0.1:5000/r/app')).toBe(
      `127.0.0.1:5000/r/app@${digest}`,
    );
    expect(appImage([pod(`r/app-two@${digest}`)], 'r/app')).toBeUndefined();
    expect(appImage([pod('r/app:latest')], 'r/app')).toBeUndefined();
  });
});
