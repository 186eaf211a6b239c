import { createHmac } from 'node:crypto';
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseApplications } from '@gitops/config';
import type { BusFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { type GitServer, freePort, git, startGitServer } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HOOK, commitWithMessage, gitPush, runHook, startReceiverDouble } from '../test/post-receive.js';
import { type TestReceiver, startTestReceiver } from '../test/receiver.js';

const SECRET = 'hook-secret';
const REPO_URL = 'http://git.example.com/acme/hello.git';
const ZERO = '0'.repeat(40);
const MiB = 1024 * 1024;
const hookEnv = (url: string, more: Record<string, string> = {}) => ({
  GITOPS_WEBHOOK_URL: url,
  GITOPS_REPO_URL: REPO_URL,
  GITOPS_WEBHOOK_SECRET: SECRET,
  ...more,
});

/** A bare repository holding one commit with `message` on main, pushed without any hook. */
async function repositoryWith(message: string) {
  const dir = await mkdtemp(join(tmpdir(), 'post-receive-'));
  const bare = join(dir, 'hello.git');
  const work = join(dir, 'work');
  await git(['init', '--quiet', '--bare', '--initial-branch', 'main', bare]);
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  const sha = await commitWithMessage(work, message);
  await git(['push', '--quiet', bare, 'main'], { cwd: work });
  return { bare, sha };
}

describe('the post-receive hook, delivering to the real receiver', () => {
  let fixture: BusFixture;
  let receiver: StartedService<unknown>;
  let testReceiver: TestReceiver;

  beforeAll(async () => {
    testReceiver = await startTestReceiver(
      parseApplications(`apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: '${REPO_URL}', branches: [main] }
  image: { repository: 127.0.0.1:5000/acme/hello }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: hello }
`),
      { WEBHOOK_SECRET: SECRET },
    );
    ({ bus: fixture, receiver } = testReceiver);
  });
  afterAll(() => testReceiver?.dispose());

  it('delivers a commit with a 2 MiB message, cut, and exits 0', async () => {
    const message = `Add the fixtures\n\n${'x'.repeat(2 * MiB)}\n`;
    const { bare, sha } = await repositoryWith(message);
    const hook = await runHook(
      bare,
      `${ZERO} ${sha} refs/heads/main`,
      hookEnv(`${receiver.url}/webhooks/generic`),
    );
    expect(hook.stderr).toMatch(/gitops: refs\/heads\/main: 202 pipeline hello-[0-9a-f]{16}/);
    expect(hook.code).toBe(0);
    const [stored] = await fixture.events('gitops.v1.hello.source.received', 1);
    const data = stored!.json.data as { commit: string; headCommit: { message: string } };
    expect(data.commit).toBe(sha);
    expect(data.headCommit.message).toMatch(/^Add the fixtures\n\nx+…\[truncated \d+ bytes\]$/);
    expect(Buffer.byteLength(data.headCommit.message)).toBeLessThanOrEqual(8 * 1024);
  });
});

describe('the post-receive hook, against a receiver that is away', () => {
  let gitServer: GitServer;

  beforeAll(async () => {
    gitServer = await startGitServer();
  });
  afterAll(async () => {
    await gitServer?.dispose();
  });

  it('lets git push return at once and delivers from the background once the receiver answers', async () => {
    let firstAt = 0;
    const double = await startReceiverDouble(() => {
      firstAt ||= Date.now();
      if (Date.now() - firstAt < 8000) return { status: 503, retryAfter: '3', body: { message: 'away' } };
      return { status: 202, body: { pipelineId: 'hello-0123456789abcdef' } };
    });
    try {
      const repo = await gitServer.createBareRepo('acme/away', {
        postReceiveHook: readFileSync(HOOK, 'utf8'),
        config: {
          'gitops.webhookUrl': double.url,
          'gitops.repoUrl': REPO_URL,
          'gitops.secret': SECRET,
          'gitops.retryFor': '1m',
        },
      });
      const work = join(await mkdtemp(join(tmpdir(), 'post-receive-')), 'work');
      await git(['clone', '--quiet', repo.url, work]);
      await commitWithMessage(work, 'Add the greeting');
      const push = await gitPush(work, 'origin', 'HEAD:main');
      expect(push.code).toBe(0);
      expect(push.ms).toBeLessThan(5000);
      expect(push.stderr).toMatch(/gitops: refs\/heads\/main: not delivered yet; retrying in the background/);
      expect(double.received.filter((r) => r.status === 202)).toEqual([]);

      await expect
        .poll(() => double.received.some((r) => r.status === 202), { timeout: 30_000, interval: 200 })
        .toBe(true);
      const [first, ...retries] = double.received;
      const deliveryId = JSON.parse(first!.body).deliveryId;
      expect(deliveryId).toMatch(/^[0-9a-f-]{36}$/);
      expect(first!.signature).toBe(
        `sha256=${createHmac('sha256', SECRET).update(first!.body).digest('hex')}`,
      );
      for (const retry of retries)
        expect(retry).toMatchObject({ body: first!.body, signature: first!.signature });
      // Retry-After: 3 is honoured over the shorter backoff (1 s, 2 s) of the first attempts.
      const gaps = double.received.slice(1).map((r, i) => r.at - double.received[i]!.at);
      for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(2900);

      const state = join(repo.dir, 'gitops');
      await expect
        .poll(() => readFileSync(join(state, 'webhook.log'), 'utf8'), { timeout: 5000 })
        .toMatch(/gitops: refs\/heads\/main: 202 pipeline hello-0123456789abcdef/);
      await expect.poll(() => readdirSync(state).filter((f) => f.startsWith('pending-'))).toEqual([]);
    } finally {
      await double.close();
    }
  }, 45_000);

  it('gives up once gitops.retryFor has passed, saying so, and exits 1', async () => {
    const { bare, sha } = await repositoryWith('Add the greeting');
    const nobody = `http://127.0.0.1:${await freePort()}/webhooks/generic`;
    const hook = await runHook(
      bare,
      `${ZERO} ${sha} refs/heads/main`,
      hookEnv(nobody, { GITOPS_WEBHOOK_RETRY_FOR: '2s', GITOPS_WEBHOOK_WAIT: '10s' }),
    );
    expect(hook.stderr).toMatch(/attempt 1: unreachable .*; retrying in 1s/);
    expect(hook.stderr).toMatch(/refs\/heads\/main: unreachable .*\(gave up after [2-4] attempts\)/);
    expect(hook.ms).toBeGreaterThanOrEqual(2000);
    expect(hook.code).toBe(1);
    expect(existsSync(join(bare, 'gitops'))).toBe(false);
  });

  it('does not retry an answer that will not change (401)', async () => {
    const double = await startReceiverDouble(() => ({ status: 401, body: { message: 'bad signature' } }));
    try {
      const { bare, sha } = await repositoryWith('Add the greeting');
      const hook = await runHook(bare, `${ZERO} ${sha} refs/heads/main`, hookEnv(double.url));
      expect(hook.stderr).toMatch(/refs\/heads\/main: 401 bad signature\n/);
      expect(double.received).toHaveLength(1);
      expect(hook.code).toBe(1);
    } finally {
      await double.close();
    }
  });
});
