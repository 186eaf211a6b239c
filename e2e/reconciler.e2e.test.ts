// The reconciler end to end, every service as its own process: a person's push to a config
// repository goes through the git server's post-receive hook to the receiver (config.pushed) and the
// reconciler, which applies it to the Kubernetes API double and reports deploy.succeeded once the
// Deployment is healthy. The config updater is not in this tree yet: its config.updated is published
// here by hand, for a commit carrying the trailers it writes.
import { type Bus, connectBus } from '@gitops/bus';
import { natsConnectOptions } from '@gitops/config';
import { createEvent } from '@gitops/contracts';
import { type Platform, configRepo, startPlatform } from '@gitops/fixtures';
import { rollout } from '@gitops/kube-api-double';
import { type StoredMessage, TEST_SHA, readStream, testLogger } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;
const digest = (c: string) => `sha256:${c.repeat(64)}`;

describe('the reconciler against the Kubernetes API double', () => {
  let platform: Platform;
  let bus: Bus;
  let controller: NodeJS.Timeout;
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
    bus = await connectBus({
      ...natsConnectOptions({ NATS_URL: [platform.natsUrl] }),
      name: 'e2e',
      logger: testLogger(),
    });
    const double = platform.double!;
    // The workload controller the double does not run: every Deployment rolls out.
    controller = setInterval(() => {
      for (const object of double.list({ kind: 'Deployment', namespace: 'hello' })) {
        if (
          (object.status as { observedGeneration?: number } | undefined)?.observedGeneration !==
          object.metadata.generation
        ) {
          rollout(
            double,
            { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'hello', name: object.metadata.name },
            { ready: true },
          );
        }
      }
    }, 50);
  });

  afterAll(async () => {
    clearInterval(controller);
    await bus?.close();
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

  it("deploys a config.updated under the pipeline's id, once, though its push is seen as config.pushed too", async () => {
    const image = `${platform.registry.host}/acme/hello@${digest('b')}`;
    const pipelineId = 'hello-0123456789abcdef';
    const sha = await platform.pushConfig(
      'hello',
      dev(digest('b'), 2),
      `deploy ${image}\n\nPipeline-Id: ${pipelineId}\nSource-Commit: ${TEST_SHA}`,
    );
    await bus.publish(
      createEvent({
        name: 'config.updated',
        service: 'config-updater',
        data: {
          pipelineId,
          app: 'hello',
          commit: TEST_SHA,
          configRepoURL: platform.configRepoURL('hello'),
          environment: 'dev',
          path: 'envs/dev',
          image,
          configCommit: sha,
        },
      }),
    );
    const succeeded = await waitDeploy((data) => data.pipelineId === pipelineId);
    expect(succeeded).toMatchObject({ commit: TEST_SHA, configCommit: sha, image, health: 'Healthy' });
    await readStream(platform.natsUrl, 'gitops.v1.hello.config.pushed', { atLeast: 3, timeoutMs: 20_000 });
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const ofCommit = (await deployments()).filter((m) => dataOf(m).configCommit === sha);
    expect(ofCommit.map((m) => m.json.type).sort()).toEqual([
      'dev.gitops.deploy.started.v1',
      'dev.gitops.deploy.succeeded.v1',
    ]);
  });
});
