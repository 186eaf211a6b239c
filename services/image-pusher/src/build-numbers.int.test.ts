import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GitopsEvent } from '@gitops/contracts';
import { testJobContext } from '@gitops/fixtures';
import {
  type RedisServer,
  type RegistryServer,
  buildSucceeded,
  startRedisServer,
  startRegistry,
  testApplication,
} from '@gitops/testing';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ociRegistry } from './adapters/oci-registry.js';
import { RedisBuildCounter } from './adapters/redis-build-numbers.js';
import { DurableBuildNumbers } from './build-numbers.js';
import { pusherHandlers } from './handlers.js';
import { writeBuild } from './test/layouts.js';

const ctx = testJobContext();

describe('build numbers after Redis loses its data, against a real registry and Redis', () => {
  let redisServer: RedisServer;
  let registry: RegistryServer;
  let redis: Redis;
  let dataDir: string;
  beforeAll(async () => {
    [redisServer, registry] = await Promise.all([startRedisServer(), startRegistry()]);
    redis = new Redis(redisServer.url, { maxRetriesPerRequest: 1 });
    dataDir = await mkdtemp(join(tmpdir(), 'pusher-numbers-'));
  });
  afterAll(async () => {
    redis?.disconnect();
    await Promise.all([redisServer?.dispose(), registry?.dispose()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  /** A pusher replica of its own (registry client, Redis connection) for a fresh application. */
  const replica = (app: string) => {
    const images = ociRegistry({
      env: { REGISTRY_URL: registry.url },
      concurrency: 2,
      retryBudgetMs: 5000,
    });
    const buildNumbers = new DurableBuildNumbers(new RedisBuildCounter(redis), images);
    const apps = new Map([[app, testApplication(app, { imageRepository: `${registry.host}/acme/${app}` })]]);
    const handler = pusherHandlers({ apps, dataDir, registry: images, buildNumbers, builderId: 'b' })[
      'build.succeeded'
    ];
    if (!handler) throw new Error('no build.succeeded handler');
    return { buildNumbers, repository: apps.get(app)?.image.repository ?? '', push: handler };
  };
  const build = async (app: string) => {
    const image = await writeBuild(dataDir, undefined, 1024);
    return buildSucceeded({ app, digest: image.root.digest, layout: image.layout });
  };
  const pushed = async (push: ReturnType<typeof replica>['push'], event: GitopsEvent<'build.succeeded'>) => {
    const [answer] = await push(event, ctx);
    return answer as GitopsEvent<'image.pushed'>;
  };

  it('continues after FLUSHALL from the highest number in the registry, not from 1', async () => {
    const app = `hello-${randomUUID().slice(0, 6)}`;
    const { push } = replica(app);
    for (let i = 0; i < 3; i++) await pushed(push, await build(app));
    await redis.flushall();
    const next = await pushed(push, await build(app));
    expect(next.data.buildNumber).toBe(4);
    expect(next.data.tags[0]).toBe('main-0123456-4');
  });

  it('gives a replayed pipeline its own number again after a Redis restart without persistence', async () => {
    const app = `hello-${randomUUID().slice(0, 6)}`;
    const { push } = replica(app);
    const first = await build(app);
    const before = await pushed(push, first);
    await pushed(push, await build(app));
    await redisServer.restart();
    const replayed = await pushed(push, first);
    expect(replayed.data).toMatchObject({
      buildNumber: before.data.buildNumber,
      tags: before.data.tags,
      digest: before.data.digest,
      bytesUploaded: 0,
    });
    expect(replayed.id).toBe(before.id);
    // A new pipeline rebuilding the same commit into the same image is another build: its own number.
    const rebuild = buildSucceeded({ app, digest: first.data.image.digest, layout: first.data.image.layout });
    expect((await pushed(push, rebuild)).data.buildNumber).toBe(3);
  });

  it('hands two replicas allocating at once after the loss distinct numbers above the registry’s', async () => {
    const app = `hello-${randomUUID().slice(0, 6)}`;
    const [a, b] = [replica(app), replica(app)];
    await pushed(a.push, await build(app));
    await pushed(a.push, await build(app));
    await redis.flushall();
    const builds = await Promise.all(Array.from({ length: 6 }, () => build(app)));
    const numbers = await Promise.all(
      builds.map((event, i) =>
        (i % 2 ? a : b).buildNumbers.allocate({
          app,
          pipelineId: event.data.pipelineId,
          repository: a.repository,
          digest: event.data.image.digest,
          branch: 'main',
          commit: event.data.commit,
        }),
      ),
    );
    expect([...numbers].sort((x, y) => x - y)).toEqual([3, 4, 5, 6, 7, 8]);
  });
});
