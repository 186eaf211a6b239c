import {
  AppsV1Api,
  CoreV1Api,
  KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
} from '@kubernetes/client-node';
import { afterAll, beforeAll } from 'vitest';
import { type KubeApiDouble, startKubeApiDouble } from '../double.js';

/** The real client-node, configured from the double's kubeconfig file, as a service would load it. */
export function clientsFor(double: KubeApiDouble) {
  const kc = new KubeConfig();
  kc.loadFromFile(double.kubeconfigPath);
  return {
    kc,
    objects: KubernetesObjectApi.makeApiClient(kc),
    core: kc.makeApiClient(CoreV1Api),
    apps: kc.makeApiClient(AppsV1Api),
  };
}

export type Clients = ReturnType<typeof clientsFor>;

export interface ApplyOptions {
  manager?: string;
  force?: boolean;
  dryRun?: boolean;
}

/** A server-side apply through client-node, as the reconciler sends it (field manager `gitops-reconciler`). */
export const serverSideApply = (client: Clients, obj: object, options: ApplyOptions = {}) =>
  client.objects.patch(
    obj as KubernetesObject,
    undefined,
    options.dryRun ? 'All' : undefined,
    options.manager ?? 'gitops-reconciler',
    options.force ?? false,
    PatchStrategy.ServerSideApply,
  );

export interface DoubleScope {
  /** Set by the file's beforeAll. */
  double: KubeApiDouble;
  client: Clients;
  apply(obj: object, options?: ApplyOptions): ReturnType<typeof serverSideApply>;
}

/** One double (namespace `shop`) and the real client on it for a test file; registers the file's hooks. */
export function doubleScope(): DoubleScope {
  const scope = {
    apply: (obj: object, options?: ApplyOptions) => serverSideApply(scope.client, obj, options),
  } as DoubleScope;
  beforeAll(async () => {
    scope.double = await startKubeApiDouble({ namespaces: ['shop'] });
    scope.client = clientsFor(scope.double);
  });
  afterAll(() => scope.double?.stop());
  return scope;
}

export const deployment = (name: string, image = 'nginx:1.27', extra: Record<string, unknown> = {}) => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name, namespace: 'shop', labels: { app: name } },
  spec: {
    selector: { matchLabels: { app: name } },
    template: {
      metadata: { labels: { app: name } },
      spec: { containers: [{ name: 'web', image, ports: [{ containerPort: 8080 }] }] },
    },
    ...extra,
  },
});

/** The value at a path inside a loosely typed object (tests read deep fields of live objects). */
export const at = (value: unknown, ...path: (string | number)[]): unknown =>
  path.reduce<unknown>(
    (current, key) => (current as Record<string | number, unknown> | undefined)?.[key],
    value,
  );
