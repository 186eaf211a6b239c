import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gitAccess } from '@gitops/git';
import {
  type GitServer,
  type RedisServer,
  TEST_SHA,
  git,
  startGitServer,
  startRedisServer,
  testApplication,
  testLogger,
} from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisRepoLock } from '../adapters/redis-lock.js';
import type { Bump, RepoLock } from '../ports.js';
import { REPOSITORY, createConfigRepo, digestOf, kustomization } from '../test/config-repo.js';
import { RepoWriter, type WriterOptions } from './config-writer.js';

const identity = { name: 'gitops-platform', email: 'gitops-platform@localhost' };
/** No lock at all: every writer races every other, as replicas whose Redis lock failed would. */
const noLock: RepoLock = { hold: (_key, work) => work() };

describe('the config writer, against a real git server and Redis', () => {
  let server: GitServer;
  let redisServer: RedisServer;
  let redis: Redis;
  let dataDir: string;

  beforeAll(async () => {
    [server, redisServer] = await Promise.all([startGitServer(), startRedisServer()]);
    redis = new Redis(redisServer.url);
    dataDir = await mkdtemp(join(tmpdir(), 'config-writer-'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([server?.dispose(), redisServer?.dispose()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  const writer = (overrides: Partial<WriterOptions> = {}) =>
    new RepoWriter({
      dataDir,
      worker: `w-${randomUUID().slice(0, 6)}`,
      lock: new RedisRepoLock(redis),
      access: () => gitAccess(),
      commit: { author: identity, committer: identity, timeoutMs: 30_000 },
      pushAttempts: 20,
      raceDelayMs: 20,
      logger: testLogger(),
      ...overrides,
    });

  const setup = async (
    files: Record<string, string> = { 'envs/dev/kustomization.yaml': kustomization() },
  ) => {
    const repo = await createConfigRepo(server, files);
    const app = testApplication('hello', {
      configRepoURL: repo.url,
      imageRepository: REPOSITORY,
      environments: [{ name: 'dev', path: 'envs/dev' }],
    });
    const bump = (n: number, extra: Partial<Bump> = {}): Bump => ({
      app,
      environment: app.config.environments[0]!,
      pin: { repository: REPOSITORY, digest: digestOf(n), tag: `main-abc1234-${n}` },
      pipelineId: `hello-${n}`,
      commit: TEST_SHA,
      ...extra,
    });
    return { repo, app, bump };
  };

  it('lands 20 concurrent updates from two replicas with a linear history and no lost change', async () => {
    const { repo, bump } = await setup();
    const [a, b] = [writer(), writer()];
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).write(bump(i + 1))),
    );
    const log = await repo.log();
    expect(log.every((commit) => commit.parents.length <= 1)).toBe(true);
    // Every pipeline is carried by a commit of the history: the one its result names.
    for (const [i, result] of results.entries()) {
      const commit = log.find((c) => c.sha === result.configCommit);
      expect(commit?.body).toContain(`hello-${i + 1}`);
    }
    const head = log[0]!;
    const winner = /Pipeline-Id: hello-(\d+)/.exec(head.body)?.[1];
    expect(await repo.show('envs/dev/kustomization.yaml')).toContain(`digest: ${digestOf(Number(winner))}`);
    // Queued bumps were batched: fewer commits than bumps, each batch named in its events.
    expect(log.length - 1).toBeLessThan(20);
    expect(results.some((r) => (r.batch?.length ?? 0) > 1)).toBe(true);
  });

  it('retries a push another writer got in first, from the new head', async () => {
    const { repo, bump } = await setup();
    let races = 0;
    const racing = () => writer({ lock: noLock, onRace: () => races++ });
    // Three writers, four bumps each one after the other: they keep fetching the same head.
    const results = await Promise.all(
      [racing(), racing(), racing()].map(async (w, i) => {
        const mine = [];
        for (let n = 0; n < 4; n++) mine.push(await w.write(bump(100 + i * 10 + n)));
        return mine;
      }),
    );
    const log = await repo.log();
    expect(races).toBeGreaterThan(0);
    expect(log).toHaveLength(13);
    expect(log.every((commit) => commit.parents.length <= 1)).toBe(true);
    expect(new Set(results.flat().map((r) => r.configCommit)).size).toBe(12);
  });

  it('makes no second commit for a replayed bump, and answers the commit that carries it', async () => {
    const { repo, bump } = await setup();
    const w = writer();
    const first = await w.write(bump(7));
    await w.write(bump(8));
    const replay = await writer().write(bump(7));
    expect(first.committed).toBe(true);
    expect(replay).toEqual({
      configCommit: first.configCommit,
      committed: false,
      durationMs: expect.any(Number),
    });
    expect(await repo.log()).toHaveLength(3);
    // The same image again under another pipeline: nothing to change, the head answers.
    const same = await w.write(bump(8, { pipelineId: 'hello-again' }));
    expect(same).toEqual({
      configCommit: (await repo.log())[0]!.sha,
      committed: false,
      durationMs: expect.any(Number),
    });
  });

  it('writes the subject, identity and trailers a person can trace', async () => {
    const { repo, bump } = await setup();
    await writer().write(bump(3, { promotedFrom: 'dev', approvedBy: 'alice' }));
    const out = await git(['--git-dir', repo.dir, 'log', '-1', '--format=%an <%ae>%n%cn%n%B']);
    expect(out).toContain('gitops-platform <gitops-platform@localhost>');
    expect(out).toContain(`deploy(hello/dev): ${REPOSITORY}@${digestOf(3)}`);
    for (const trailer of [
      'Pipeline-Id: hello-3',
      `Source-Commit: ${TEST_SHA}`,
      'Source-Repo: http://git.test/acme/hello.git',
      'Image-Tag: main-abc1234-3',
      'Promoted-From: dev',
      'Approved-By: alice',
    ]) {
      expect(out).toContain(trailer);
    }
  });

  it('signs commits with an SSH key that git verify-commit accepts', async () => {
    const { repo, bump } = await setup();
    const keyDir = await mkdtemp(join(tmpdir(), 'signing-'));
    const key = join(keyDir, 'id_ed25519');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'platform', '-f', key]);
    const allowed = join(keyDir, 'allowed_signers');
    await writeFile(allowed, `${identity.email} ${await readFile(`${key}.pub`, 'utf8')}`);
    const signing = { author: identity, committer: identity, timeoutMs: 30_000, signingKeyFile: key };
    const { configCommit } = await writer({ commit: signing }).write(bump(4));
    const config = ['-c', 'gpg.format=ssh', '-c', `gpg.ssh.allowedSignersFile=${allowed}`];
    await expect(
      git(['--git-dir', repo.dir, ...config, 'verify-commit', configCommit]),
    ).resolves.toBeDefined();
    const unsigned = (await writer().write(bump(5))).configCommit;
    await expect(git(['--git-dir', repo.dir, ...config, 'verify-commit', unsigned])).rejects.toThrow();
  });

  it('refuses a config path that escapes the repository, and commits nothing', async () => {
    const { repo, app, bump } = await setup({
      'envs/dev/kustomization.yaml': kustomization(),
      'envs/link/.keep': '',
    });
    // A symlink to outside the repository, committed as a person could.
    const work = await mkdtemp(join(tmpdir(), 'config-link-'));
    await git(['clone', '-q', repo.url, work]);
    await symlink('/etc', join(work, 'envs/out'));
    await git(['add', '-A'], { cwd: work });
    await git(['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'link'], { cwd: work });
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    const outside = { ...app.config.environments[0]!, path: 'envs/out' };
    await expect(writer().write(bump(9, { environment: outside }))).rejects.toThrow(
      /GITOPS_CONFIG_PATH_OUTSIDE|outside/,
    );
    const dotdot = { ...app.config.environments[0]!, path: '../elsewhere' };
    await expect(writer().write(bump(9, { environment: dotdot }))).rejects.toMatchObject({
      code: 'GITOPS_CONFIG_PATH_OUTSIDE',
    });
    expect(await repo.log()).toHaveLength(2);
  });

  it('creates an environment branch from the default branch on its first write', async () => {
    const { repo, app, bump } = await setup();
    const staging = { ...app.config.environments[0]!, name: 'staging', branch: 'staging' };
    const result = await writer().write(bump(11, { environment: staging }));
    expect((await repo.log('staging'))[0]!.sha).toBe(result.configCommit);
    expect(await repo.log('main')).toHaveLength(1);
  });
});
