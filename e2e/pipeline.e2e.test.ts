// The pipeline end to end, every service as its own process, against real servers: a push to a
// real git server, through its post-receive hook to the receiver, the builder and the image pusher,
// to an image in a real registry. Each stage issue extends this file so the pipeline always flows
// as far as it is built.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  type GitServer,
  type NatsServer,
  type RedisServer,
  type RegistryServer,
  type ServiceProcess,
  type StoredMessage,
  git,
  makeCommit,
  readStream,
  repoRoot,
  startGitServer,
  startNatsServer,
  startRedisServer,
  startRegistry,
  startService,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const SECRET = 'e2e-webhook-secret';
const hook = readFileSync(resolve(repoRoot, 'infra/git-hooks/post-receive'), 'utf8');
const author = { name: 'Ada Lovelace', email: 'ada@example.com' };
const source = {
  Dockerfile: 'FROM scratch\nCOPY app.txt /srv/app.txt\nCMD ["/srv/app.txt"]\n',
  'app.txt': 'hello from the pipeline\n',
  '.gitops.yaml': 'version: 1\nsteps:\n  - name: test\n    run: test -s app.txt\n',
};

const application = (repoURL: string, imageRepository: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: '${repoURL}', branches: [main] }
  image: { repository: ${imageRepository} }
  config: { repoURL: '${repoURL.replace('hello.git', 'hello-config.git')}', path: envs/dev }
  destination: { namespace: hello }
`;

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;
const ofPipeline = (messages: StoredMessage[], pipelineId: string, type: string) =>
  messages.find((m) => m.json.subject === pipelineId && m.json.type === `dev.gitops.${type}.v1`);

describe('a push to a real git server', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let registry: RegistryServer;
  let gitServer: GitServer;
  const services: ServiceProcess[] = [];
  let work: string;

  beforeAll(async () => {
    [nats, redis, registry, gitServer] = await Promise.all([
      startNatsServer(),
      startRedisServer(),
      startRegistry(),
      startGitServer(),
    ]);
    const dir = mkdtempSync(join(tmpdir(), 'gitops-e2e-'));
    const appsFile = join(dir, 'gitops.yaml');
    const repoURL = `${gitServer.url}/acme/hello.git`;
    writeFileSync(appsFile, application(repoURL, `${registry.host}/acme/hello`));
    const env = {
      NATS_URL: nats.url,
      REDIS_URL: redis.url,
      GITOPS_APPS: appsFile,
      GITOPS_DATA_DIR: join(dir, 'data'),
      REGISTRY_URL: registry.url,
    };
    services.push(
      ...(await Promise.all([
        startService('webhook-receiver', { ...env, WEBHOOK_SECRET: SECRET }),
        startService('builder', env),
        startService('image-pusher', env),
      ])),
    );
    const repo = await gitServer.createBareRepo('acme/hello', {
      postReceiveHook: hook,
      config: {
        'gitops.webhookUrl': `${services[0]!.url}/webhooks/generic`,
        'gitops.repoUrl': repoURL,
        'gitops.secret': SECRET,
      },
    });
    work = join(dir, 'hello');
    await git(['clone', '-q', repo.url, work]);
  });

  afterAll(async () => {
    const codes = await Promise.all(services.map((service) => service.stop()));
    await Promise.all([nats, redis, registry, gitServer].map((server) => server?.dispose()));
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(services.map(() => 0));
  });

  it('becomes source.received, build.succeeded and image.pushed, and the image pulls by digest', async () => {
    const sha = await makeCommit(work, source, 'feat: first commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });

    const [received] = await readStream(nats.url, 'gitops.v1.hello.source.received', { atLeast: 1 });
    expect(received?.json).toMatchObject({
      type: 'dev.gitops.source.received.v1',
      source: '/gitops/webhook-receiver',
    });
    expect(dataOf(received)).toMatchObject({
      app: 'hello',
      provider: 'generic',
      commit: sha,
      branch: 'main',
      headCommit: { sha, message: 'feat: first commit', author },
    });
    const pipelineId = received!.json.subject as string;

    const events = await readStream(nats.url, 'gitops.v1.hello.>', { atLeast: 4, timeoutMs: 60_000 });
    const built = dataOf(ofPipeline(events, pipelineId, 'build.succeeded'));
    expect(ofPipeline(events, pipelineId, 'build.started')).toBeDefined();
    expect(built).toMatchObject({
      commit: sha,
      steps: expect.arrayContaining([expect.objectContaining({ name: 'test', status: 'succeeded' })]),
    });
    const pushed = dataOf(ofPipeline(events, pipelineId, 'image.pushed'));
    const digest = (built.image as { digest: string }).digest;
    expect(pushed).toMatchObject({
      repository: `${registry.host}/acme/hello`,
      digest,
      tags: expect.arrayContaining([`main-${sha.slice(0, 7)}-1`, `sha-${sha}`]),
    });

    const manifest = await fetch(`${registry.url}/v2/acme/hello/manifests/${digest}`, {
      headers: { accept: 'application/vnd.oci.image.manifest.v1+json' },
    });
    expect(manifest.status).toBe(200);
    expect(manifest.headers.get('docker-content-digest')).toBe(digest);
  });

  it('ends in build.failed naming the failing step, and pushes no image', async () => {
    const sha = await makeCommit(work, { 'app.txt': '' }, 'fix: empty the app', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });

    const received = await readStream(nats.url, 'gitops.v1.hello.source.received', { atLeast: 2 });
    const pipelineId = received.find((m) => dataOf(m).commit === sha)!.json.subject as string;
    const events = await readStream(nats.url, 'gitops.v1.hello.build.failed', {
      atLeast: 1,
      timeoutMs: 60_000,
    });
    expect(dataOf(ofPipeline(events, pipelineId, 'build.failed'))).toMatchObject({
      commit: sha,
      reason: 'step-failed',
      error: { step: 'test', message: expect.stringContaining('exit code 1') },
    });
    const images = await readStream(nats.url, 'gitops.v1.hello.image.>');
    expect(images.filter((m) => m.json.subject === pipelineId)).toEqual([]);
  });

  it('starts one pipeline per push, and none for a pushed tag', async () => {
    const sha = await makeCommit(work, { 'app.txt': 'second version\n' }, 'feat: second', author);
    await git(['tag', 'v1.0.0'], { cwd: work });
    await git(['push', '-q', 'origin', 'HEAD:main', 'v1.0.0'], { cwd: work });

    const received = await readStream(nats.url, 'gitops.v1.hello.source.received', { atLeast: 3 });
    expect(received.map((m) => dataOf(m).commit)).toContain(sha);
    await new Promise((r) => setTimeout(r, 500));
    expect(await readStream(nats.url, 'gitops.v1.hello.source.received')).toHaveLength(3);
  });
});
