import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GitopsEvent } from '@gitops/contracts';
import {
  type ServiceProcess,
  buildSucceeded,
  git,
  imagePushed,
  spawnService,
  testApplication,
  writeApplications,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  type ConfigRepo,
  REPOSITORY,
  createConfigRepo,
  digestOf,
  kustomization,
} from './test/config-repo.js';
import { type Servers, startServers, watchEvents } from './test/servers.js';

const BUMPS = 20;

describe('the config updater killed with SIGKILL in the middle of writing (needs pnpm build)', () => {
  let servers: Servers;
  let repo: ConfigRepo;
  let env: Record<string, string>;
  let service: ServiceProcess | undefined;
  const app = `hello-${randomUUID().slice(0, 6)}`;
  const updated = new Map<string, GitopsEvent>();

  beforeAll(async () => {
    servers = await startServers('config-crash-');
    repo = await createConfigRepo(servers.gitServer, { 'envs/dev/kustomization.yaml': kustomization() });
    const apps = [
      testApplication(app, {
        configRepoURL: repo.url,
        imageRepository: REPOSITORY,
        environments: [{ name: 'dev', path: 'envs/dev' }],
      }),
    ];
    env = {
      ...servers.fixture.env,
      REDIS_URL: servers.redisServer.url,
      GITOPS_APPS: await writeApplications(servers.dir, apps),
      GITOPS_DATA_DIR: join(servers.dir, 'data'),
      QUEUE_PREFIX: `test-${randomUUID()}`,
      JOB_ATTEMPTS: '5',
      JOB_BACKOFF: '100ms',
      JOB_LOCK_DURATION: '2s',
      JOB_STALLED_INTERVAL: '1s',
      CONFIG_LOCK_TTL: '2s',
      // One at a time, so the kill lands among many small writes.
      CONFIG_CONCURRENCY: '1',
    };
    await watchEvents(servers, `gitops.v1.${app}.config.>`, (event) =>
      updated.set(event.data.pipelineId, event),
    );
  });
  afterAll(async () => {
    await service?.stop();
    await servers?.stop();
  });

  /** Every commit on the server is whole: the digest its subject names is the one its tree pins. */
  const expectWholeCommits = async () => {
    const log = await repo.log();
    expect(log.every((commit) => commit.parents.length <= 1)).toBe(true);
    for (const commit of log.slice(0, -1)) {
      const digest = /@(sha256:[0-9a-f]{64})$/.exec(commit.subject)?.[1];
      const file = await git(['--git-dir', repo.dir, 'show', `${commit.sha}:envs/dev/kustomization.yaml`]);
      expect(file).toContain(`digest: ${digest}`);
    }
    return log;
  };

  it('leaves the remote untouched or complete, and a restart lands every update once', async () => {
    service = await spawnService('config-updater', env);
    const events = Array.from({ length: BUMPS }, (_, i) =>
      imagePushed(buildSucceeded({ app, digest: digestOf(i + 1), layout: 'layouts/x' }), REPOSITORY),
    );
    for (const event of events) await servers.fixture.bus.publish(event);
    // Kill as soon as the writes are under way.
    await vi.waitFor(() => expect(updated.size).toBeGreaterThan(0), { timeout: 20_000, interval: 5 });
    await sleep(Math.random() * 50);
    service.child.kill('SIGKILL');
    await new Promise((done) => service!.child.once('exit', done));
    const before = await expectWholeCommits();
    expect(updated.size).toBeLessThan(BUMPS);

    service = await spawnService('config-updater', env);
    await vi.waitFor(() => expect(updated.size).toBe(BUMPS), { timeout: 90_000, interval: 50 });
    const log = await expectWholeCommits();
    expect(log.length).toBeGreaterThanOrEqual(before.length);
    // Each pipeline in exactly one commit, the one its config.updated names.
    for (const event of events) {
      const { pipelineId } = event.data;
      const carrying = log.filter((commit) => commit.body.includes(pipelineId));
      expect(carrying).toHaveLength(1);
      expect((updated.get(pipelineId)?.data as { configCommit: string }).configCommit).toBe(carrying[0]!.sha);
    }
    // Two process starts, a lock and a job left by the dead process to expire: slow on a loaded machine.
  }, 120_000);
});
