// Runs only where KUBECONFIG points at a real cluster (kind, k3d, a test cluster): the same sync as the
// API double's tests, against the real API server. Elsewhere it is skipped, and says why.
import { randomUUID } from 'node:crypto';
import { testLogger } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIELD_MANAGER } from './adapters/field-manager.js';
import { KubeCluster } from './adapters/kube-cluster.js';
import { loadKubeConfig } from './adapters/kube-config.js';
import { guard } from './manifests/guard.js';
import { refOf } from './manifests/objects.js';
import { parseManifests } from './manifests/parse.js';
import { liveObjects } from './sync/live.js';
import { planSync } from './sync/plan.js';

const kube = loadKubeConfig(process.env.KUBECONFIG);
let reachable = false;
if (kube.config) {
  const probe = new KubeCluster(kube.config, testLogger());
  reachable = await probe.connect().then(
    () => true,
    () => false,
  );
  await probe.stop();
}
const skipped = !reachable;
if (skipped) {
  console.info(
    `real-cluster suite skipped: ${kube.reason ?? `KUBECONFIG ${process.env.KUBECONFIG} names no reachable cluster`}`,
  );
}

describe.skipIf(skipped)('against the real cluster of KUBECONFIG', () => {
  const namespace = `gitops-reconciler-test-${randomUUID().slice(0, 8)}`;
  let cluster: KubeCluster;
  const owner = { app: 'real', environment: 'test' };
  beforeAll(async () => {
    cluster = new KubeCluster(kube.config!, testLogger());
    await cluster.connect();
    await cluster.apply(
      { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } },
      { dryRun: false, force: false },
    );
  });
  afterAll(async () => {
    await cluster?.remove({ apiVersion: 'v1', kind: 'Namespace', name: namespace });
    await cluster?.stop();
  });

  it('applies with server-side apply, then finds no delta and writes nothing', async () => {
    const objects = parseManifests(
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: settings }\ndata: { a: "1" }\n',
      'cm.yaml',
    );
    await cluster.discover(objects);
    const desired = guard(objects, {
      owner,
      destination: { namespace, clusterResources: false },
      scopeOf: cluster.scopeOf(),
      maxObjects: 10,
    });
    for (const object of desired) await cluster.apply(object, { dryRun: true, force: false });
    for (const object of desired) await cluster.apply(object, { dryRun: false, force: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const live = await liveObjects(cluster, desired.map(refOf));
    const plan = planSync({
      desired,
      live,
      inventory: [],
      owner,
      ignoreDifferences: [],
      manager: FIELD_MANAGER,
    });
    expect(plan.resources.map((resource) => resource.action)).toEqual(['unchanged']);
  });
});
