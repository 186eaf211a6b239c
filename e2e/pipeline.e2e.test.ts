import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
// The pipeline end to end, every service as its own process, against real servers: a push to a
// real git server, through its post-receive hook to the receiver, the builder and the image pusher,
// to an image in a real registry. Each stage issue extends this file so the pipeline always flows
// as far as it is built.
import { type StoredMessage, git, makeCommit, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;
const ofPipeline = (messages: StoredMessage[], pipelineId: string, type: string) =>
  messages.find((m) => m.json.subject === pipelineId && m.json.type === `dev.gitops.${type}.v1`);

describe('a push to a real git server', () => {
  let platform: Platform;
  let nats: Platform['nats'];
  let registry: Platform['registry'];
  let work: string;

  beforeAll(async () => {
    platform = await startPlatform();
    ({ nats, registry, work } = platform);
  });

  afterAll(async () => {
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
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
