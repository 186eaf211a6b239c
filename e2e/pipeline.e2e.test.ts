// The pipeline end to end, every service as its own process, against real servers. Each stage
// issue extends this file so the pipeline always flows as far as it is built.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type GitServer,
  type NatsServer,
  type ServiceProcess,
  git,
  makeCommit,
  readStream,
  repoRoot,
  startGitServer,
  startNatsServer,
  startService,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'e2e-webhook-secret';
const hook = readFileSync(resolve(repoRoot, 'infra/git-hooks/post-receive'), 'utf8');
const author = { name: 'Ada Lovelace', email: 'ada@example.com' };

const application = (repoURL: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: '${repoURL}', branches: [main] }
  image: { repository: 127.0.0.1:5000/acme/hello }
  config: { repoURL: '${repoURL.replace('hello.git', 'hello-config.git')}', path: envs/dev }
  destination: { namespace: hello }
`;

describe('a push to a real git server', () => {
  let nats: NatsServer;
  let gitServer: GitServer;
  let receiver: ServiceProcess;
  let work: string;

  beforeAll(async () => {
    [nats, gitServer] = await Promise.all([startNatsServer(), startGitServer()]);
    const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-'));
    const appsFile = join(dir, 'gitops.yaml');
    const repoURL = `${gitServer.url}/acme/hello.git`;
    writeFileSync(appsFile, application(repoURL));
    receiver = await startService('webhook-receiver', {
      NATS_URL: nats.url,
      GITOPS_APPS: appsFile,
      WEBHOOK_SECRET: SECRET,
      GITOPS_DATA_DIR: dir,
    });
    const repo = await gitServer.createBareRepo('acme/hello', {
      postReceiveHook: hook,
      config: {
        'gitops.webhookUrl': `${receiver.url}/webhooks/generic`,
        'gitops.repoUrl': repoURL,
        'gitops.secret': SECRET,
      },
    });
    work = join(dir, 'hello');
    await git(['clone', '-q', repo.url, work]);
  });

  afterAll(async () => {
    const code = await receiver?.stop();
    expect(code, 'the receiver exits cleanly on SIGTERM').toBe(0);
    await Promise.all([nats?.dispose(), gitServer?.dispose()]);
  });

  it('arrives on NATS as source.received with the pushed commit, author and branch', async () => {
    const sha = await makeCommit(work, { 'README.md': '# hello\n' }, 'feat: first commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });

    const [message] = await readStream(nats.url, 'gitops.v1.hello.source.received', { atLeast: 1 });
    expect(message?.json).toMatchObject({
      type: 'dev.gitops.source.received.v1',
      source: '/gitops/webhook-receiver',
    });
    expect(message?.json.data).toMatchObject({
      app: 'hello',
      provider: 'generic',
      commit: sha,
      branch: 'main',
      ref: 'refs/heads/main',
      after: sha,
      headCommit: { sha, message: 'feat: first commit', author },
    });
  });

  it('starts one pipeline per push, and none for a pushed tag', async () => {
    const sha = await makeCommit(work, { 'src/app.js': 'export {};\n' }, 'feat: second', author);
    await git(['tag', 'v1.0.0'], { cwd: work });
    await git(['push', '-q', 'origin', 'HEAD:main', 'v1.0.0'], { cwd: work });

    const messages = await readStream(nats.url, 'gitops.v1.hello.source.received', { atLeast: 2 });
    expect(messages.map((m) => (m.json.data as { commit: string }).commit)).toContain(sha);
    await new Promise((r) => setTimeout(r, 500));
    expect(await readStream(nats.url, 'gitops.v1.hello.>')).toHaveLength(2);
  });
});
