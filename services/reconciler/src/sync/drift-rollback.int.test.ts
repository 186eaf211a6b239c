import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { IMAGE, deployment, digest, harnessPerTest } from '../test/harness.js';

const scope = harnessPerTest();

const web = { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' };
const files = (image = `${IMAGE}@${digest('a')}`) => ({
  'envs/dev/kustomization.yaml': 'resources: [web.yaml]\n',
  'envs/dev/web.yaml': deployment('web', image),
});

async function until<T>(probe: () => T | undefined, timeoutMs = 8000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const replicas = () => (scope.servers.double.get(web)!.spec as { replicas: number }).replicas;

describe('drift', () => {
  it('alerts with the changed fields and the manager that changed them', async () => {
    const harness = await scope.start({ files: files() });
    const stopRollout = harness.autoRollout();
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    scope.servers.double.edit(
      web,
      (object) => {
        (object.spec as { replicas: number }).replicas = 7;
      },
      'kubectl-edit',
    );
    const [detected] = await until(() =>
      harness.named('drift.detected').length ? harness.named('drift.detected') : undefined,
    );
    stopRollout();
    expect(detected!.data).toMatchObject({
      action: 'alerted',
      environment: 'dev',
      resources: [{ kind: 'Deployment', namespace: 'shop', name: 'web', fields: ['/spec/replicas'] }],
      managers: ['kubectl-edit'],
    });
    expect(replicas()).toBe(7);
    const [status] = await harness.controller.status(harness.app);
    expect(status).toMatchObject({
      sync: 'OutOfSync',
      drift: [{ resource: 'Deployment/shop/web', manager: 'kubectl-edit' }],
    });
  });

  it('heals in selfHeal mode: re-applies Git and reports drift.resolved', async () => {
    const harness = await scope.start({ files: files(), syncPolicy: { selfHeal: true } });
    const stopRollout = harness.autoRollout();
    await harness.controller.sync(harness.app, harness.app.config.environments[0]!, 'api');
    // A person's edit through an update: the reconciler still owns the field by apply, so applying again takes it back.
    scope.servers.double.edit(
      web,
      (object) => {
        (object.spec as { replicas: number }).replicas = 9;
      },
      'kubectl-edit',
    );
    const [resolved] = await until(() =>
      harness.named('drift.resolved').length ? harness.named('drift.resolved') : undefined,
    );
    stopRollout();
    expect(resolved!.data).toMatchObject({
      action: 'healed',
      resources: [{ name: 'web', fields: ['/spec/replicas'] }],
    });
    expect(harness.named('drift.detected')).toHaveLength(0);
    expect(replicas()).toBe(2);
  });
});

describe('rollback', () => {
  it('writes a commit restoring the old config and publishes rollback.completed naming the live image', async () => {
    const harness = await scope.start({ files: files() });
    const stopRollout = harness.autoRollout();
    const environment = harness.app.config.environments[0]!;
    await harness.controller.sync(harness.app, environment, 'api');
    const good = (await harness.controller.status(harness.app))[0]!.configCommit!;
    await harness.push(files(`${IMAGE}@${digest('b')}`), 'bad image');
    await harness.controller.sync(harness.app, environment, 'config.pushed');
    const event = await harness.controller.rollback(harness.app, environment, good, 'ada', 'broken release');
    expect(event.data).toMatchObject({
      to: good,
      image: `${IMAGE}@${digest('b')}`,
      by: 'ada',
      environment: 'dev',
    });
    expect(harness.named('rollback.completed')).toHaveLength(1);
    await until(() => {
      const image = JSON.stringify(scope.servers.double.get(web));
      return image.includes(digest('a')) ? image : undefined;
    });
    stopRollout();
    const clone = mkdtempSync(join(tmpdir(), 'rollback-check-'));
    await git(['clone', '-q', harness.app.config.repoURL, clone]);
    const log = await git(['log', '-1', '--format=%H %s%n%(trailers)'], { cwd: clone });
    expect(log).toContain(event.data.configCommit);
    expect(log).toContain('Rollback-By: ada');
    expect(await git(['diff', good, 'HEAD', '--', 'envs/dev'], { cwd: clone })).toBe('');
  });

  it('rolls back by itself when a new revision turns Degraded and autoRollback is on', async () => {
    const harness = await scope.start({
      files: files(),
      syncPolicy: { autoRollback: true },
      healthTimeoutMs: 800,
    });
    const environment = harness.app.config.environments[0]!;
    let stopRollout = harness.autoRollout();
    await harness.controller.sync(harness.app, environment, 'api');
    stopRollout();
    stopRollout = harness.autoRollout({ ready: false });
    await harness.push(files(`${IMAGE}@${digest('c')}`), 'broken image');
    await harness.controller.sync(harness.app, environment, 'config.pushed');
    const [completed] = await until(() =>
      harness.named('rollback.completed').length ? harness.named('rollback.completed') : undefined,
    );
    stopRollout();
    expect(completed!.data).toMatchObject({ by: 'reconciler', image: `${IMAGE}@${digest('c')}` });
  });
});
