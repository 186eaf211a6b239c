import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitopsEvent, createEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { type KubeApiDouble, rollout, startKubeApiDouble } from '@gitops/kube-api-double';
import {
  type GitServer,
  type RedisServer,
  TEST_SHA,
  git,
  makeCommit,
  startGitServer,
  startRedisServer,
  testApplication,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { reconciler } from './service.js';
import { IMAGE, deployment, digest } from './test/harness.js';

const TOKEN = 'a-token-of-ada-0123456789';
const dataOf = (event: GitopsEvent) => event.data as Record<string, unknown>;

describe('the reconciler service, in-process against real NATS, Redis and git and the API double', () => {
  let fixture: BusFixture;
  let redisServer: RedisServer;
  let gitServer: GitServer;
  let double: KubeApiDouble;
  let service: Awaited<ReturnType<typeof startServiceFixture>>;
  let work: string;
  let repoURL: string;
  const seen: GitopsEvent[] = [];
  const app = testApplication('shop', {
    imageRepository: IMAGE,
    environments: [
      { name: 'dev', path: 'envs/dev', destination: { namespace: 'shop', clusterResources: false } },
    ],
  });
  const push = async (image: string, message: string) => {
    const sha = await makeCommit(
      work,
      {
        'envs/dev/kustomization.yaml': 'resources: [web.yaml]\n',
        'envs/dev/web.yaml': deployment('web', image),
      },
      message,
    );
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    return sha;
  };
  const events = (name: string, where: (event: GitopsEvent) => boolean = () => true) =>
    seen.filter((event) => event.type === `dev.gitops.${name}.v1` && where(event));
  const waitFor = (name: string, where?: (event: GitopsEvent) => boolean) =>
    vi.waitFor(
      () => {
        const found = events(name, where);
        if (found.length === 0) throw new Error(`no ${name} yet`);
        return found;
      },
      { timeout: 20_000, interval: 50 },
    );

  beforeAll(async () => {
    [fixture, redisServer, gitServer, double] = await Promise.all([
      startBusFixture({ platformUsers: true }),
      startRedisServer(),
      startGitServer(),
      startKubeApiDouble({ namespaces: ['shop'] }),
    ]);
    repoURL = (await gitServer.createBareRepo('acme/shop-config')).url;
    work = mkdtempSync(join(tmpdir(), 'shop-config-'));
    await git(['clone', '-q', repoURL, work]);
    await push(`${IMAGE}@${digest('a')}`, 'initial');
    const tokens = join(work, '..', `tokens-${Date.now()}`);
    writeFileSync(tokens, `ada ${TOKEN}\n`);
    const withRepo = { ...app, config: { ...app.config, repoURL } };
    service = await startServiceFixture(reconciler, {
      bus: fixture,
      redisUrl: redisServer.url,
      apps: [withRepo],
      env: {
        ...fixture.envAs('reconciler'),
        KUBECONFIG: double.kubeconfigPath,
        GITOPS_API_TOKENS_FILE: tokens,
        HEALTH_TIMEOUT: '15s',
        HEALTH_POLL: '50ms',
        RESYNC_INTERVAL: '1h',
      },
    });
    await fixture.bus.consume(
      { durable: 'test-reconciler-out', filterSubject: 'gitops.v1.shop.>' },
      async ({ event }) => {
        seen.push(event.event);
      },
    );
    // A workload controller: every Deployment rolls out.
    setInterval(() => {
      for (const object of double.list({ kind: 'Deployment', namespace: 'shop' })) {
        if (
          (object.status as { observedGeneration?: number } | undefined)?.observedGeneration !==
          object.metadata.generation
        ) {
          rollout(
            double,
            { apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: object.metadata.name },
            { ready: true },
          );
        }
      }
    }, 30).unref();
  });
  afterAll(async () => {
    await service?.stop();
    await Promise.all([fixture?.dispose(), redisServer?.dispose(), gitServer?.dispose(), double?.stop()]);
  });

  const configUpdated = (configCommit: string, pipelineId: string) =>
    createEvent({
      name: 'config.updated',
      service: 'config-updater',
      data: {
        pipelineId,
        app: 'shop',
        commit: TEST_SHA,
        configRepoURL: repoURL,
        environment: 'dev',
        path: 'envs/dev',
        image: `${IMAGE}@${digest('b')}`,
        configCommit,
      },
    });
  const configPushed = (configCommit: string, before: string) =>
    createEvent({
      name: 'config.pushed',
      service: 'webhook-receiver',
      data: {
        pipelineId: `shop-${configCommit.slice(0, 16)}`,
        app: 'shop',
        provider: 'generic',
        deliveryId: `d-${configCommit}`,
        configRepoURL: repoURL,
        ref: 'refs/heads/main',
        branch: 'main',
        before,
        configCommit,
        environments: ['dev'],
        pusher: { name: 'Ada', email: 'ada@example.com' },
      },
    });

  it('deploys a config.updated under its pipeline and ignores the same commit seen again as config.pushed', async () => {
    const before = (await git(['rev-parse', 'HEAD'], { cwd: work })).trim();
    const sha = await push(
      `${IMAGE}@${digest('b')}`,
      `bump image\n\nPipeline-Id: shop-p1\nSource-Commit: ${TEST_SHA}`,
    );
    await fixture.bus.publish(configUpdated(sha, 'shop-p1'));
    const [succeeded] = await waitFor('deploy.succeeded', (e) => dataOf(e).pipelineId === 'shop-p1');
    expect(succeeded!.data).toMatchObject({
      commit: TEST_SHA,
      configCommit: sha,
      environment: 'dev',
      health: 'Healthy',
      trigger: 'config.updated',
      image: `${IMAGE}@${digest('b')}`,
    });
    await fixture.bus.publish(configPushed(sha, before));
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const ofCommit = (e: GitopsEvent) => dataOf(e).configCommit === sha;
    expect(events('deploy.started', ofCommit)).toHaveLength(1);
    expect(events('deploy.succeeded', ofCommit)).toHaveLength(1);
  });

  it("syncs a person's push to the config repository under the sync's own pipeline id", async () => {
    const before = (await git(['rev-parse', 'HEAD'], { cwd: work })).trim();
    const sha = await push(`${IMAGE}@${digest('c')}`, 'hand-edited image');
    await fixture.bus.publish(configPushed(sha, before));
    const [succeeded] = await waitFor('deploy.succeeded', (e) => dataOf(e).configCommit === sha);
    expect(succeeded!.data).toMatchObject({
      pipelineId: `shop-sync-${sha.slice(0, 12)}-dev`,
      trigger: 'config.pushed',
      image: `${IMAGE}@${digest('c')}`,
    });
    expect(succeeded!.data).not.toHaveProperty('commit');
  });

  it('answers status and diff, and needs a bearer token to sync or roll back', async () => {
    const status = await (await fetch(`${service.url}/api/v1/apps/shop`)).json();
    expect(status).toMatchObject({
      name: 'shop',
      environments: [{ environment: 'dev', sync: 'Synced', health: 'Healthy' }],
    });
    const list = (await (await fetch(`${service.url}/api/v1/apps`)).json()) as { apps: unknown[] };
    expect(list.apps).toHaveLength(1);
    const diff = (await (await fetch(`${service.url}/api/v1/apps/shop/diff?environment=dev`)).json()) as {
      resources: unknown[];
    };
    expect(diff.resources).toEqual([
      expect.objectContaining({
        resource: 'Deployment/shop/web',
        action: 'unchanged',
        desired: expect.objectContaining({ kind: 'Deployment' }),
        live: expect.objectContaining({ kind: 'Deployment' }),
      }),
    ]);
    expect((await fetch(`${service.url}/api/v1/apps/nope`)).status).toBe(404);
    expect((await fetch(`${service.url}/api/v1/apps/shop/diff?environment=prod`)).status).toBe(404);
    const sync = (token?: string) =>
      fetch(`${service.url}/api/v1/apps/shop/sync`, {
        method: 'POST',
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
    expect((await sync()).status).toBe(401);
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /^gitops_reconcile_duration_seconds_count\{trigger="config.updated",result="applied"\} [1-9]/m,
    );
    expect((await sync(TOKEN)).status).toBe(202);
  });

  it('rolls back through a revert commit and publishes rollback.completed by the token name', async () => {
    const first = (await git(['rev-list', '--max-parents=0', 'HEAD'], { cwd: work })).trim();
    const rollback = (body: unknown) =>
      fetch(`${service.url}/api/v1/apps/shop/rollback`, {
        method: 'POST',
        headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    expect((await rollback({ to: 'not-a-sha' })).status).toBe(400);
    const answer = await rollback({ to: first });
    expect(answer.status).toBe(200);
    const [completed] = await waitFor('rollback.completed');
    expect(completed!.data).toMatchObject({
      to: first,
      by: 'ada',
      image: `${IMAGE}@${digest('c')}`,
      environment: 'dev',
    });
    await waitFor('deploy.succeeded', (e) => dataOf(e).trigger === 'rollback');
    expect(
      JSON.stringify(
        double.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }),
      ),
    ).toContain(digest('a'));
  });
});
