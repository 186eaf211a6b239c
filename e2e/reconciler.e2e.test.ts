// The reconciler end to end, every service as its own process: a person's push to a config
// repository goes through the git server's post-receive hook to the receiver (config.pushed) and the
// reconciler, which applies it to the Kubernetes API double and reports deploy.succeeded once the
// Deployment is healthy. A pipeline's config.updated on to deploy.succeeded is in pipeline.e2e.test.ts.
import { type Platform, configRepo, startPlatform } from '@gitops/fixtures';
import { autoRollout } from '@gitops/kube-api-double';
import { type StoredMessage, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;
const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('the reconciler against the Kubernetes API double', () => {
  let platform: Platform;
  let stopRollouts: () => void;
  const deployments = () => readStream(platform.natsUrl, 'gitops.v1.hello.deploy.>');
  const waitDeploy = async (match: (data: Record<string, unknown>) => boolean, type = 'deploy.succeeded') => {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const found = (await deployments()).find(
        (m) => m.json.type === `dev.gitops.${type}.v1` && match(dataOf(m)),
      );
      if (found) return dataOf(found);
      if (Date.now() > deadline) throw new Error(`no ${type} matching`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };
  /** The environment with the image pinned by digest, as the config updater writes it, and `replicas`. */
  const dev = (sha256: string, replicas: number) => {
    const repository = `${platform.registry.host}/acme/hello`;
    const files = configRepo('hello', repository);
    return {
      'envs/dev/kustomization.yaml': files['envs/dev/kustomization.yaml']!.replace(
        'newTag: latest',
        `digest: ${sha256}`,
      ),
      'envs/dev/deployment.yaml': files['envs/dev/deployment.yaml']!.replace(
        'replicas: 1',
        `replicas: ${replicas}`,
      ),
    };
  };

  beforeAll(async () => {
    platform = await startPlatform({
      kubeApiDouble: true,
      services: ['webhook-receiver', 'reconciler'],
      serviceEnv: { reconciler: { RESYNC_INTERVAL: '1h', HEALTH_TIMEOUT: '60s', HEALTH_POLL: '100ms' } },
    });
    // The workload controllers the double does not run: every new Deployment generation rolls out.
    stopRollouts = autoRollout(platform.double!);
  });

  afterAll(async () => {
    stopRollouts?.();
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual([0, 0]);
  });

  it("syncs a person's push to the config repository without a build and ends in deploy.succeeded", async () => {
    const image = `${platform.registry.host}/acme/hello@${digest('a')}`;
    const sha = await platform.pushConfig('hello', dev(digest('a'), 2), 'scale to two');
    const pushed = await readStream(platform.natsUrl, 'gitops.v1.hello.config.pushed', {
      atLeast: 2,
      timeoutMs: 20_000,
    });
    expect(dataOf(pushed.find((m) => dataOf(m).configCommit === sha))).toMatchObject({
      environments: ['dev'],
      branch: 'main',
    });
    const succeeded = await waitDeploy((data) => data.configCommit === sha);
    expect(succeeded).toMatchObject({
      environment: 'dev',
      health: 'Healthy',
      image,
      trigger: 'config.pushed',
    });
    expect(succeeded).not.toHaveProperty('commit');
    const web = platform.double!.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hello',
      name: 'hello',
    });
    expect((web?.spec as { replicas: number }).replicas).toBe(2);
    expect(await readStream(platform.natsUrl, 'gitops.v1.hello.source.received')).toHaveLength(0);
  });
});
