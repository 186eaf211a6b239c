// Environments and promotion end to end, every service as its own process: one push builds an image
// that the config updater pins in dev; the reconciler deploys it to the Kubernetes API double; the
// healthy digest goes on to staging by itself (promotion: auto) and waits for a person's approval
// for prod (promotion: approval), given through the config updater's API and the CLI; a rollback of
// prod through the reconciler's API is a commit in Git and quarantines the digest, which the config
// updater then refuses to write anywhere.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { connectBus } from '@gitops/bus';
import { natsConnectOptions } from '@gitops/config';
import { type EventData, createEvent } from '@gitops/contracts';
import { type Platform, author, configRepo, source, startPlatform } from '@gitops/fixtures';
import { autoRollout } from '@gitops/kube-api-double';
import { type StoredMessage, git, makeCommit, readStream, repoRoot, testLogger } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const TOKEN = 'alice-e2e-token-0123456789abcdef';
const ENVIRONMENTS = { dev: 'hello', staging: 'hello-staging', prod: 'hello-prod' } as const;
type EnvName = keyof typeof ENVIRONMENTS;

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;

/** Three copies of the platform's kustomization, one folder and namespace per environment. */
const threeEnvironments = (app: string, imageRepository: string) => {
  const dev = configRepo(app, imageRepository);
  const files: Record<string, string> = {};
  for (const [env, namespace] of Object.entries(ENVIRONMENTS)) {
    for (const [path, text] of Object.entries(dev)) {
      files[path.replace('envs/dev/', `envs/${env}/`)] = text.replace(
        `namespace: ${app}`,
        `namespace: ${namespace}`,
      );
    }
  }
  return files;
};

const environments = (configRepoURL: string) => {
  const list = [
    '{ name: dev, path: envs/dev }',
    `{ name: staging, path: envs/staging, promotion: auto, destination: { namespace: ${ENVIRONMENTS.staging} } }`,
    `{ name: prod, path: envs/prod, promotion: approval, destination: { namespace: ${ENVIRONMENTS.prod} } }`,
  ];
  return `{ repoURL: '${configRepoURL}', environments: [${list.join(', ')}] }`;
};

describe('environments, promotion and rollback', () => {
  let platform: Platform;
  let stopRollouts: () => void;
  const tokens = join(mkdtempSync(join(tmpdir(), 'gitops-promotion-')), 'api-tokens');
  writeFileSync(tokens, `alice ${TOKEN}\n`, { mode: 0o600 });
  const bearer = { authorization: `Bearer ${TOKEN}` };

  const events = (type: string) => readStream(platform.natsUrl, `gitops.v1.hello.${type}`);
  /** The first event of `type` (its subject's last part may be `>`) whose data matches. */
  const waitFor = async (
    type: string,
    match: (data: Record<string, unknown>) => boolean,
    timeoutMs = 60_000,
  ) => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = (await events(type)).find((m) => match(dataOf(m)));
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`no ${type} matching ${match}`);
      await new Promise((r) => setTimeout(r, 200));
    }
  };
  const deployed = (environment: EnvName, image: string) =>
    waitFor('deploy.succeeded', (d) => d.environment === environment && d.image === image).then(dataOf);
  const liveImage = (environment: EnvName) =>
    JSON.stringify(
      platform.double!.get({
        apiVersion: 'apps/v1',
        kind: 'Deployment',
        namespace: ENVIRONMENTS[environment],
        name: 'hello',
      })?.spec,
    );
  const api = async <Body = { message?: string }>(
    service: 'config-updater' | 'reconciler',
    path: string,
    init: RequestInit = {},
  ) => {
    const response = await fetch(`${platform.service(service).url}${path}`, {
      ...init,
      headers: { 'content-type': 'application/json', ...init.headers },
    });
    return { status: response.status, body: (await response.json()) as Body };
  };
  const commitText = async (sha: string) => {
    const work = platform.configWorkOf('hello');
    await git(['fetch', '-q', 'origin', 'main'], { cwd: work });
    return git(['log', '-1', '--format=%B', sha], { cwd: work });
  };
  /** The `newTag` and `digest` an environment's kustomization pins at a config commit. */
  const pinOf = async (environment: EnvName, sha: string) => {
    const text = await git(['show', `${sha}:envs/${environment}/kustomization.yaml`], {
      cwd: platform.configWorkOf('hello'),
    });
    return { tag: /newTag: (\S+)/.exec(text)?.[1], digest: /digest: (\S+)/.exec(text)?.[1] };
  };
  const gitops = async (args: string[]) => {
    const { stdout } = await promisify(execFile)(
      'node',
      [resolve(repoRoot, 'packages/cli/dist/main.js'), ...args],
      {
        env: {
          ...process.env,
          GITOPS_CONFIG_UPDATER_URL: platform.service('config-updater').url,
          GITOPS_TOKEN: TOKEN,
          NO_COLOR: '1',
        },
      },
    );
    return stdout;
  };

  beforeAll(async () => {
    platform = await startPlatform({
      kubeApiDouble: true,
      services: ['webhook-receiver', 'builder', 'image-pusher', 'config-updater', 'reconciler'],
      namespaces: [ENVIRONMENTS.staging, ENVIRONMENTS.prod],
      config: environments,
      configFiles: threeEnvironments,
      serviceEnv: {
        'config-updater': { GITOPS_API_TOKENS_FILE: tokens },
        reconciler: { GITOPS_API_TOKENS_FILE: tokens, RESYNC_INTERVAL: '1h', HEALTH_POLL: '100ms' },
      },
    });
    // The workload controllers the double does not run: every new Deployment generation rolls out.
    stopRollouts = autoRollout(platform.double!);
  });

  afterAll(async () => {
    stopRollouts?.();
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  let pipelineId: string;
  let image: string;
  let digest: string;
  let prodBefore: string;
  let prodPromoted: string;

  it('pins a push in dev, deploys it, and promotes the healthy digest to staging by itself', async () => {
    const sha = await makeCommit(platform.work, source, 'feat: first commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: platform.work });
    const pushed = dataOf(await waitFor('image.pushed', (d) => d.commit === sha));
    pipelineId = pushed.pipelineId as string;
    digest = pushed.digest as string;
    image = `${platform.registry.host}/acme/hello@${digest}`;

    const dev = dataOf(await waitFor('config.updated', (d) => d.environment === 'dev'));
    expect(dev).toMatchObject({ pipelineId, commit: sha, path: 'envs/dev', image });
    expect(await deployed('dev', image)).toMatchObject({
      pipelineId,
      health: 'Healthy',
      configCommit: dev.configCommit,
    });
    expect(liveImage('dev')).toContain(`@${digest}`);

    const staging = dataOf(await waitFor('config.updated', (d) => d.environment === 'staging'));
    expect(staging).toMatchObject({
      pipelineId,
      commit: sha,
      path: 'envs/staging',
      image,
      promotedFrom: 'dev',
    });
    const stagingCommit = await commitText(staging.configCommit as string);
    expect(stagingCommit).toContain(`deploy(hello/staging): ${image}`);
    expect(stagingCommit).toContain('Promoted-From: dev');
    const tag = (pushed.tags as string[]).find((t) => !t.startsWith('sha-'))!;
    expect(await pinOf('staging', staging.configCommit as string)).toEqual({ tag, digest });
    expect(stagingCommit).toContain(`Pipeline-Id: ${pipelineId}`);
    expect(await deployed('staging', image)).toMatchObject({ pipelineId, health: 'Healthy' });
    expect(liveImage('staging')).toContain(`@${digest}`);
  });

  it('asks for approval before prod, and promotes there only with a token (the CLI approves)', async () => {
    const requested = dataOf(await waitFor('promotion.requested', (d) => d.to === 'prod'));
    expect(requested).toMatchObject({ pipelineId, environment: 'prod', from: 'staging', to: 'prod', image });
    expect(liveImage('prod')).not.toContain(digest);

    const listed = await api<{ environments: Array<{ name: string; configCommit: string }> }>(
      'config-updater',
      '/api/v1/apps/hello/environments',
      { headers: bearer },
    );
    expect(listed.status).toBe(200);
    const prod = listed.body.environments.find((e) => e.name === 'prod')!;
    expect(prod).toMatchObject({ promotion: 'approval', digest: null, waiting: { from: 'staging', image } });
    prodBefore = prod.configCommit;
    expect(await gitops(['envs', 'hello'])).toMatch(/prod/);

    const anonymous = await api('config-updater', '/api/v1/apps/hello/promotions', {
      method: 'POST',
      body: JSON.stringify({ to: 'prod' }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.body.message).toMatch(/Bearer/);
    await new Promise((r) => setTimeout(r, 300));
    expect(await events('promotion.approved')).toEqual([]);

    expect(await gitops(['promote', 'hello', '--to', 'prod'])).toContain(
      `promoted ${image} from staging to prod (approved by alice)`,
    );
    const approved = dataOf(await waitFor('promotion.approved', () => true));
    expect(approved).toMatchObject({
      pipelineId,
      environment: 'prod',
      from: 'staging',
      to: 'prod',
      image,
      by: 'alice',
    });
    const updated = dataOf(await waitFor('config.updated', (d) => d.environment === 'prod'));
    expect(updated).toMatchObject({ pipelineId, path: 'envs/prod', image, promotedFrom: 'staging' });
    prodPromoted = updated.configCommit as string;
    const commit = await commitText(prodPromoted);
    expect(commit).toContain(`deploy(hello/prod): ${image}`);
    expect(commit).toContain('Promoted-From: staging');
    expect(commit).toContain('Approved-By: alice');
    expect((await pinOf('prod', prodPromoted)).digest).toBe(digest);
    expect(await pinOf('prod', prodPromoted)).toEqual(await pinOf('dev', prodPromoted));

    expect(await deployed('prod', image)).toMatchObject({
      pipelineId,
      health: 'Healthy',
      configCommit: prodPromoted,
    });
    expect(liveImage('prod')).toContain(`@${digest}`);

    const again = await api('config-updater', '/api/v1/apps/hello/promotions', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ to: 'prod' }),
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toMatch(/nothing waits/);
  });

  it('rolls prod back through Git, and the config updater refuses the rolled-back digest', async () => {
    const rollback = (headers: Record<string, string>) =>
      api<{ configCommit: string }>('reconciler', '/api/v1/apps/hello/rollback?environment=prod', {
        method: 'POST',
        headers,
        body: JSON.stringify({ to: prodBefore, reason: 'e2e: bad release' }),
      });
    expect((await rollback({})).status).toBe(401);
    const rolled = await rollback(bearer);
    expect(rolled.status).toBe(200);
    expect(rolled.body).toMatchObject({
      environment: 'prod',
      from: prodPromoted,
      to: prodBefore,
      image,
      by: 'alice',
    });
    const completed = dataOf(await waitFor('rollback.completed', () => true));
    expect(completed).toMatchObject({
      environment: 'prod',
      image,
      by: 'alice',
      configCommit: rolled.body.configCommit,
    });
    const revert = await commitText(rolled.body.configCommit);
    expect(revert).toContain(`Rollback-To: ${prodBefore}`);
    expect(revert).toContain('Rollback-By: alice');
    const work = platform.configWorkOf('hello');
    expect(
      await git(['show', `${rolled.body.configCommit}:envs/prod/kustomization.yaml`], { cwd: work }),
    ).toBe(await git(['show', `${prodBefore}:envs/prod/kustomization.yaml`], { cwd: work }));
    await waitFor(
      'deploy.succeeded',
      (d) =>
        d.environment === 'prod' && d.configCommit === rolled.body.configCommit && d.health === 'Healthy',
    );
    expect(liveImage('prod')).not.toContain(digest);

    let quarantine: unknown[] = [];
    for (const deadline = Date.now() + 20_000; Date.now() < deadline; ) {
      ({ quarantine } = (
        await api<{ quarantine: unknown[] }>('config-updater', '/api/v1/quarantine', { headers: bearer })
      ).body);
      if (quarantine.length > 0) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(quarantine).toEqual([
      expect.objectContaining({ digest, image, app: 'hello', environment: 'prod', by: 'alice' }),
    ]);

    // dev and staging still run the digest: their next healthy deploy (as the reconciler publishes it
    // after a resync) would promote it again; an image.pushed of it would pin it again.
    const bus = await connectBus({
      ...natsConnectOptions({ NATS_URL: [platform.natsUrl] }),
      name: 'e2e',
      logger: testLogger(),
    });
    const dev = dataOf(await waitFor('config.updated', (d) => d.environment === 'dev'));
    const pushed = dataOf(await waitFor('image.pushed', () => true));
    try {
      for (const environment of ['dev', 'staging']) {
        await bus.publish(
          createEvent({
            name: 'deploy.succeeded',
            service: 'reconciler',
            data: {
              pipelineId: `hello-resync-e2e-${environment}`,
              app: 'hello',
              commit: pushed.commit as string,
              environment,
              configCommit: dev.configCommit as string,
              trigger: 'resync',
              image,
              applied: [],
              pruned: [],
              unchanged: 1,
              health: 'Healthy',
              durationMs: 10,
            },
          }),
        );
      }
      await bus.publish(
        createEvent({
          name: 'image.pushed',
          service: 'image-pusher',
          data: { ...(pushed as EventData<'image.pushed'>), pipelineId: 'hello-replayed-e2e' },
        }),
      );
    } finally {
      await bus.close();
    }
    for (const to of ['staging', 'prod']) {
      expect(dataOf(await waitFor('promotion.rejected', (d) => d.to === to, 20_000))).toMatchObject({
        image,
        reason: expect.stringMatching(/quarantined/),
      });
    }
    const failed = dataOf(
      await waitFor('config.failed', (d) => d.pipelineId === 'hello-replayed-e2e', 20_000),
    );
    expect(failed).toMatchObject({
      environment: 'dev',
      image,
      error: { message: expect.stringMatching(/quarantine/) },
    });

    const refused = await api('config-updater', '/api/v1/apps/hello/promotions', {
      method: 'POST',
      headers: bearer,
      body: JSON.stringify({ to: 'prod' }),
    });
    expect(refused.status).toBe(409);
    const writes = (await events('config.updated')).map((m) => dataOf(m).environment);
    expect(writes).toEqual(['dev', 'staging', 'prod']);
  });
});
