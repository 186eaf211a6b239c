import { describe, expect, it } from 'vitest';
import { deployment, harnessPerTest } from '../test/harness.js';

const scope = harnessPerTest();

const files = {
  'envs/dev/kustomization.yaml': 'resources: [web.yaml]\n',
  'envs/dev/web.yaml': deployment('web'),
};

describe('without a reachable cluster', () => {
  it('answers status Unknown with the reason and a diff of the desired objects, and reports no deploy', async () => {
    const harness = await scope.start({ files, noCluster: true });
    const environment = harness.app.config.environments[0]!;
    // Nothing was deployed, so nothing failed: a sync asked for by a person publishes no deploy event.
    await expect(harness.controller.sync(harness.app, environment, 'api')).resolves.toEqual({ events: [] });
    expect(harness.published).toEqual([]);
    const [status] = await harness.controller.status(harness.app);
    expect(status).toMatchObject({
      sync: 'Unknown',
      health: 'Unknown',
      message: expect.stringContaining('no KUBECONFIG'),
    });
    const diff = await harness.controller.diff(harness.app, environment);
    expect(diff.cluster).toMatchObject({ reachable: false });
    expect(diff.resources).toEqual([
      expect.objectContaining({ resource: 'Deployment/shop/web', action: 'unknown' }),
    ]);
    expect(diff.resources[0]!.diff).toContain('+kind: Deployment');
  });

  it('reports the outage, then syncs once the API server is back', async () => {
    const harness = await scope.start({ files });
    const environment = harness.app.config.environments[0]!;
    await scope.servers.double.down();
    try {
      await expect(harness.controller.sync(harness.app, environment, 'resync')).rejects.toThrow(
        /not reachable/,
      );
      const [status] = await harness.controller.status(harness.app);
      expect(status).toMatchObject({ sync: 'Unknown', health: 'Unknown' });
    } finally {
      await scope.servers.double.up();
    }
    const stopRollout = harness.autoRollout();
    await harness.cluster.connect();
    await harness.controller.sync(harness.app, environment, 'resync');
    stopRollout();
    expect((await harness.controller.status(harness.app))[0]).toMatchObject({
      sync: 'Synced',
      health: 'Healthy',
    });
  });
});
