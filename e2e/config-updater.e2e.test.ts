// The pipeline on to the config repository, every service as its own process: a push to the source
// repository ends in a commit in the application's config repository pinning the image's digest,
// with the trailers that trace it back, and in config.updated on NATS.
import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
import { type StoredMessage, git, makeCommit, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const dataOf = (message: StoredMessage | undefined) => (message?.json.data ?? {}) as Record<string, unknown>;

describe('a push to the source repository, on to the config repository', () => {
  let platform: Platform;

  beforeAll(async () => {
    platform = await startPlatform({
      services: ['webhook-receiver', 'builder', 'image-pusher', 'config-updater'],
    });
  });

  afterAll(async () => {
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual([0, 0, 0, 0]);
  });

  it('ends in a config commit pinning the digest, with its trailers, and config.updated', async () => {
    const sha = await makeCommit(platform.work, source, 'feat: ship it', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: platform.work });

    const [updated] = await readStream(platform.natsUrl, 'gitops.v1.hello.config.updated', {
      atLeast: 1,
      timeoutMs: 90_000,
    });
    expect(updated?.json.source).toBe('/gitops/config-updater');
    const data = dataOf(updated);
    const [pushed] = await readStream(platform.natsUrl, 'gitops.v1.hello.image.pushed', { atLeast: 1 });
    const { digest, repository, tags } = dataOf(pushed) as {
      digest: string;
      repository: string;
      tags: string[];
    };
    expect(data).toMatchObject({
      app: 'hello',
      commit: sha,
      environment: 'dev',
      path: 'envs/dev',
      configRepoURL: platform.configRepoURL('hello'),
      image: `${repository}@${digest}`,
    });

    const work = platform.configWorkOf('hello');
    await git(['pull', '-q', 'origin', 'main'], { cwd: work });
    const commit = await git(['log', '-1', '--format=%H%n%an <%ae>%n%B'], { cwd: work });
    expect(commit).toContain(data.configCommit as string);
    expect(commit).toContain('gitops-platform <gitops-platform@localhost>');
    expect(commit).toContain(`deploy(hello/dev): ${repository}@${digest}`);
    expect(commit).toContain(`Pipeline-Id: ${data.pipelineId}`);
    expect(commit).toContain(`Source-Commit: ${sha}`);
    expect(commit).toContain(`Source-Repo: ${platform.repoURL('hello')}`);
    expect(commit).toContain(`Image-Tag: ${tags[0]}`);
    const kustomization = await git(['show', 'HEAD:envs/dev/kustomization.yaml'], { cwd: work });
    expect(kustomization).toContain(`digest: ${digest}`);
    expect(kustomization).toContain('# The config updater pins the image below by digest.');
  });
});
