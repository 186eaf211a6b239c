// The pipeline end to end, every service as its own process, against real servers: a push to a
// real git server, through its post-receive hook to the receiver, the builder and the image pusher,
// to an image in a real registry; the config updater pins its digest in the config repository, and
// the reconciler applies that to the Kubernetes API double (the one part that is not real: no API
// server runs here) until it is healthy. Each stage issue extends this file so the pipeline always
// flows as far as it is built.
import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
import { autoRollout } from '@gitops/kube-api-double';
import { type StoredMessage, git, makeCommit, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;
const ofPipeline = (messages: StoredMessage[], pipelineId: string, type: string) =>
  messages.find((m) => m.json.subject === pipelineId && m.json.type === `dev.gitops.${type}.v1`);

/** The config updater's commit: the digest pinned, and trailers that trace it back to the push. */
async function expectConfigCommit(
  configCommit: string,
  expected: { pipelineId: string; sha: string; image: string; tag: unknown },
) {
  const work = platform.configWorkOf('hello');
  await git(['fetch', '-q', 'origin', 'main'], { cwd: work });
  const commit = await git(['log', '-1', '--format=%an <%ae>%n%B', configCommit], { cwd: work });
  expect(commit).toContain('gitops-platform <gitops-platform@localhost>');
  expect(commit).toContain(`deploy(hello/dev): ${expected.image}`);
  expect(commit).toContain(`Pipeline-Id: ${expected.pipelineId}`);
  expect(commit).toContain(`Source-Commit: ${expected.sha}`);
  expect(commit).toContain(`Source-Repo: ${platform.repoURL('hello')}`);
  expect(commit).toContain(`Image-Tag: ${(expected.tag as string[])[0]}`);
  const kustomization = await git(['show', `${configCommit}:envs/dev/kustomization.yaml`], { cwd: work });
  expect(kustomization).toContain(`digest: ${expected.image.split('@')[1]}`);
  expect(kustomization).toContain('# The config updater pins the image below by digest.');
}

let platform: Platform;

describe('a push to a real git server', () => {
  let nats: Platform['nats'];
  let registry: Platform['registry'];
  let work: string;

  let stopRollouts: () => void;

  beforeAll(async () => {
    platform = await startPlatform({
      kubeApiDouble: true,
      serviceEnv: { reconciler: { RESYNC_INTERVAL: '1h', HEALTH_POLL: '100ms' } },
    });
    ({ nats, registry, work } = platform);
    // The workload controllers the double does not run: every new Deployment generation rolls out.
    stopRollouts = autoRollout(platform.double!);
  });

  afterAll(async () => {
    stopRollouts?.();
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  it('becomes source.received, build.succeeded, image.pushed, config.updated and a healthy deploy', async () => {
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

    // The application's subjects also carry its config repository's pushes (config.pushed) and their syncs.
    await readStream(nats.url, 'gitops.v1.hello.image.>', { atLeast: 1, timeoutMs: 60_000 });
    const events = await readStream(nats.url, 'gitops.v1.hello.>');
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

    const image = `${registry.host}/acme/hello@${digest}`;
    const deployed = await readStream(nats.url, 'gitops.v1.hello.deploy.succeeded', {
      atLeast: 1,
      timeoutMs: 60_000,
      until: (messages) => messages.some((m) => m.json.subject === pipelineId),
    });
    const updated = dataOf(
      ofPipeline(await readStream(nats.url, 'gitops.v1.hello.config.updated'), pipelineId, 'config.updated'),
    );
    expect(updated).toMatchObject({ commit: sha, environment: 'dev', path: 'envs/dev', image });
    await expectConfigCommit(updated.configCommit as string, { pipelineId, sha, image, tag: pushed.tags });
    expect(dataOf(ofPipeline(deployed, pipelineId, 'deploy.succeeded'))).toMatchObject({
      commit: sha,
      environment: 'dev',
      configCommit: updated.configCommit,
      image,
      health: 'Healthy',
    });
    const live = platform.double!.get({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      namespace: 'hello',
      name: 'hello',
    });
    expect(JSON.stringify(live?.spec)).toContain(`@${digest}`);
    // The config updater's push reaches the reconciler as config.pushed too: the commit deploys once.
    await readStream(nats.url, 'gitops.v1.hello.config.pushed', {
      until: (messages) => messages.some((m) => dataOf(m).configCommit === updated.configCommit),
      timeoutMs: 20_000,
    });
    const ofCommit = (await readStream(nats.url, 'gitops.v1.hello.deploy.>')).filter(
      (m) => dataOf(m).configCommit === updated.configCommit,
    );
    expect(ofCommit.map((m) => [m.json.subject, m.json.type])).toEqual([
      [pipelineId, 'dev.gitops.deploy.started.v1'],
      [pipelineId, 'dev.gitops.deploy.succeeded.v1'],
    ]);
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
