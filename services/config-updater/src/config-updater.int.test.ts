import { randomUUID } from 'node:crypto';
import { symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EventName, GitopsEvent } from '@gitops/contracts';
import { startServiceFixture } from '@gitops/fixtures';
import { buildSucceeded, git, imagePushed, testApplication } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { configUpdater } from './service.js';
import {
  type ConfigRepo,
  REPOSITORY,
  createConfigRepo,
  digestOf,
  kustomization,
} from './test/config-repo.js';
import { deploySucceeded, rollbackCompleted } from './test/events.js';
import { type Servers, startServers, watchEvents } from './test/servers.js';

const TOKEN = 'alice-token-0123456789abcdef';
const deployment = `apiVersion: apps/v1
kind: Deployment
metadata: { name: hello }
spec:
  template:
    spec:
      containers:
        - name: hello
          image: ${REPOSITORY}:latest # staging runs plain manifests
`;

describe('the config updater service, in-process against real NATS, Redis and git', () => {
  let servers: Servers;
  let repo: ConfigRepo;
  let updater: Awaited<ReturnType<typeof startServiceFixture>>;
  const app = `hello-${randomUUID().slice(0, 6)}`;
  const seen: GitopsEvent[] = [];

  beforeAll(async () => {
    servers = await startServers('config-updater-', { platformUsers: true });
    repo = await createConfigRepo(servers.gitServer, {
      'envs/dev/kustomization.yaml': kustomization(),
      'envs/staging/deployment.yaml': deployment,
      'envs/prod/values.yaml': 'image:\n  repository: nginx # replaced on promotion\n',
    });
    const work = join(servers.dir, 'work');
    await git(['clone', '-q', repo.url, work]);
    await symlink('/etc', join(work, 'escape'));
    await git(['add', '-A'], { cwd: work });
    await git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'a link out'], { cwd: work });
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    const tokens = join(servers.dir, 'tokens');
    await writeFile(tokens, `alice ${TOKEN}\n`);
    const apps = [
      testApplication(app, {
        configRepoURL: repo.url,
        imageRepository: REPOSITORY,
        environments: [
          { name: 'dev', path: 'envs/dev' },
          { name: 'staging', path: 'envs/staging', promotion: 'auto' },
          { name: 'prod', path: 'envs/prod', promotion: 'approval' },
        ],
      }),
      testApplication(`${app}-bad`, {
        configRepoURL: repo.url,
        imageRepository: REPOSITORY,
        environments: [{ name: 'dev', path: 'escape' }],
      }),
    ];
    updater = await startServiceFixture(configUpdater, {
      bus: servers.fixture,
      redisUrl: servers.redisServer.url,
      apps,
      env: { ...servers.fixture.envAs('config-updater'), GITOPS_API_TOKENS_FILE: tokens },
    });
    await watchEvents(servers, `gitops.v1.${app}.>`, (event) => seen.push(event));
    await watchEvents(servers, `gitops.v1.${app}-bad.>`, (event) => seen.push(event));
  });
  afterAll(async () => {
    await updater?.stop();
    await servers?.stop();
  });

  const eventOf = <N extends EventName>(name: N, pipelineId: string, environment?: string) =>
    vi.waitFor(
      () => {
        const found = seen.filter(
          (e) =>
            e.type === `dev.gitops.${name}.v1` &&
            e.data.pipelineId === pipelineId &&
            (environment === undefined || (e.data as { environment?: string }).environment === environment),
        );
        if (found.length === 0) throw new Error(`no ${name} for ${pipelineId} yet`);
        return found as GitopsEvent<N>[];
      },
      { timeout: 20_000, interval: 25 },
    );
  const pushed = (n: number, appName = app) => {
    const build = buildSucceeded({ app: appName, digest: digestOf(n), layout: 'layouts/x' });
    return imagePushed(build, REPOSITORY);
  };
  const api = (path: string, init: RequestInit = {}, token: string | null = TOKEN) =>
    fetch(`${updater.url}${path}`, {
      ...init,
      headers: {
        ...(init.body ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
    });
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers, checked field by field
  const json = async (res: Response): Promise<any> => res.json();

  it('pins the digest in the first environment and answers config.updated; a replay commits nothing', async () => {
    const event = pushed(1);
    await servers.fixture.bus.publish(event);
    const [updated] = await eventOf('config.updated', event.data.pipelineId);
    const head = (await repo.log())[0]!;
    expect(updated?.data).toMatchObject({
      environment: 'dev',
      path: 'envs/dev',
      configRepoURL: repo.url,
      image: `${REPOSITORY}@${digestOf(1)}`,
      configCommit: head.sha,
    });
    expect(head.body).toContain(`Pipeline-Id: ${event.data.pipelineId}`);
    expect(await repo.show('envs/dev/kustomization.yaml')).toContain(`digest: ${digestOf(1)}`);
    // The same event under a new id (a replay the ledger cannot recognise) finds its commit.
    const commits = (await repo.log()).length;
    await servers.fixture.bus.publish({ ...event, id: `${event.id}.replay` });
    await vi.waitFor(async () => {
      const metrics = await (await fetch(`${updater.url}/metrics`)).text();
      expect(metrics).toMatch(/gitops_config_rounds_total 2/);
    });
    expect(await repo.log()).toHaveLength(commits);
  });

  it('answers config.failed when the environment path leaves the repository through a symlink', async () => {
    const event = pushed(2, `${app}-bad`);
    await servers.fixture.bus.publish(event);
    const [failed] = await eventOf('config.failed', event.data.pipelineId);
    expect(failed?.data.error.message).toMatch(/GITOPS_CONFIG_PATH_OUTSIDE.*escape.*outside/);
  });

  it('promotes automatically after deploy.succeeded, then waits for an approval through the API', async () => {
    const pipelineId = `${app}-promo`;
    const image = `${REPOSITORY}@${digestOf(3)}`;
    const dev = (await repo.log())[0]!.sha;
    await servers.fixture.bus.publish(
      deploySucceeded({ app, pipelineId, environment: 'dev', configCommit: dev, image }),
    );
    const [toStaging] = await eventOf('config.updated', pipelineId, 'staging');
    expect(toStaging?.data).toMatchObject({ image, promotedFrom: 'dev', path: 'envs/staging' });
    expect(await repo.show('envs/staging/deployment.yaml')).toContain(`${REPOSITORY}:latest@${digestOf(3)}`);

    // Staging healthy, no image in the event: the digest is read from the config commit deployed.
    const staging = toStaging!.data.configCommit;
    await servers.fixture.bus.publish(
      deploySucceeded({ app, pipelineId, environment: 'staging', configCommit: staging, commit: '' }),
    );
    const [requested] = await eventOf('promotion.requested', pipelineId, 'prod');
    expect(requested?.data).toMatchObject({ from: 'staging', to: 'prod', image });
    expect(requested?.data.commit).toMatch(/^[0-9a-f]{40}$/);

    const envs = await json(await api(`/api/v1/apps/${app}/environments`));
    expect(envs.environments.map((e: { name: string; digest: string | null }) => [e.name, e.digest])).toEqual(
      [
        ['dev', digestOf(1)],
        ['staging', digestOf(3)],
        ['prod', null],
      ],
    );
    expect(envs.environments[2].waiting).toMatchObject({ from: 'staging', image });

    const body = JSON.stringify({ to: 'prod', reason: 'release 3' });
    expect((await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body }, null)).status).toBe(401);
    const nothing = await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body: '{"to":"staging"}' });
    expect(nothing.status).toBe(409);
    expect((await json(nothing)).message).toMatch(/nothing waits/);
    expect((await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body: '{}' })).status).toBe(400);
    expect(
      (await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body: '{"to":"qa"}' })).status,
    ).toBe(404);

    const approved = await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body });
    expect(approved.status).toBe(200);
    const answer = await json(approved);
    expect(answer).toMatchObject({ environment: 'prod', image, by: 'alice' });
    const [event] = await eventOf('promotion.approved', pipelineId, 'prod');
    expect(event?.data).toMatchObject({ by: 'alice', from: 'staging', to: 'prod', reason: 'release 3' });
    await eventOf('config.updated', pipelineId, 'prod');
    const head = (await repo.log())[0]!;
    expect(head.sha).toBe(answer.configCommit);
    expect(head.body).toContain('Approved-By: alice');
    expect(head.body).toContain('Promoted-From: staging');
    // The tag staging pins with the digest goes along.
    expect(await repo.show('envs/prod/values.yaml')).toBe(
      `image:\n  repository: ${REPOSITORY} # replaced on promotion\n  tag: latest\n  digest: ${digestOf(3)}\n`,
    );
    // Approved once: nothing waits any more.
    expect((await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body })).status).toBe(409);
  });

  it('quarantines a rolled-back digest: never written again until released', async () => {
    const image = `${REPOSITORY}@${digestOf(4)}`;
    const configCommit = (await repo.log())[0]!.sha;
    await servers.fixture.bus.publish(
      rollbackCompleted({ app, pipelineId: `${app}-rb`, environment: 'dev', image, configCommit }),
    );
    await vi.waitFor(async () => {
      const { quarantine } = await json(await api('/api/v1/quarantine'));
      expect(quarantine).toMatchObject([{ digest: digestOf(4), image, by: 'reconciler' }]);
    });
    const event = pushed(4);
    await servers.fixture.bus.publish(event);
    const [failed] = await eventOf('config.failed', event.data.pipelineId);
    expect(failed?.data.error.message).toMatch(/GITOPS_CONFIG_QUARANTINED/);

    const pipelineId = `${app}-quarantined`;
    await servers.fixture.bus.publish(
      deploySucceeded({ app, pipelineId, environment: 'dev', configCommit, image }),
    );
    const [rejected] = await eventOf('promotion.rejected', pipelineId, 'staging');
    expect(rejected?.data.reason).toMatch(/quarantined/);

    // Waiting for prod, then quarantined: the approval is refused.
    const staging = `${app}-staging-q`;
    await servers.fixture.bus.publish(
      deploySucceeded({
        app,
        pipelineId: staging,
        environment: 'staging',
        configCommit,
        image: `${REPOSITORY}@${digestOf(5)}`,
      }),
    );
    await eventOf('promotion.requested', staging, 'prod');
    await servers.fixture.bus.publish(
      rollbackCompleted({
        app,
        pipelineId: `${app}-rb5`,
        environment: 'staging',
        image: `${REPOSITORY}@${digestOf(5)}`,
        configCommit,
      }),
    );
    await vi.waitFor(async () => {
      const { quarantine } = await json(await api('/api/v1/quarantine'));
      expect(quarantine).toHaveLength(2);
    });
    const refused = await api(`/api/v1/apps/${app}/promotions`, { method: 'POST', body: '{"to":"prod"}' });
    expect(refused.status).toBe(409);
    expect((await json(refused)).message).toMatch(/quarantined/);

    expect((await api(`/api/v1/quarantine/${digestOf(4)}`, { method: 'DELETE' }, null)).status).toBe(401);
    expect((await api('/api/v1/quarantine/sha256:nope', { method: 'DELETE' })).status).toBe(400);
    expect((await api(`/api/v1/quarantine/${digestOf(4)}`, { method: 'DELETE' })).status).toBe(200);
    expect((await api(`/api/v1/quarantine/${digestOf(4)}`, { method: 'DELETE' })).status).toBe(404);
    const again = pushed(4);
    await servers.fixture.bus.publish(again);
    await eventOf('config.updated', again.data.pipelineId);
  });
});
