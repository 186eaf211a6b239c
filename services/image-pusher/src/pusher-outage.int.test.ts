import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GitopsEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { HttpTransport, registryFor } from '@gitops/oci';
import {
  type RedisServer,
  type RegistryServer,
  buildSucceeded,
  startRedisServer,
  startRegistry,
  testApplication,
} from '@gitops/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { imagePusher } from './service.js';
import { writeBuild } from './test/layouts.js';

const MiB = 1 << 20;

describe('the image pusher through a registry outage, in-process against real NATS, Redis and registry', () => {
  let fixture: BusFixture;
  let redisServer: RedisServer;
  let registry: RegistryServer;
  let pusher: Awaited<ReturnType<typeof startServiceFixture>>;
  let dataDir: string;
  const app = `outage-${randomUUID().slice(0, 6)}`;
  const outcomes: GitopsEvent[] = [];

  beforeAll(async () => {
    [fixture, redisServer, registry] = await Promise.all([
      startBusFixture(),
      startRedisServer(),
      startRegistry(),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'pusher-outage-'));
    pusher = await startServiceFixture(imagePusher, {
      bus: fixture,
      redisUrl: redisServer.url,
      apps: [testApplication(app, { imageRepository: `${registry.host}/acme/${app}` })],
      dataDir,
      env: {
        REGISTRY_URL: registry.url,
        REGISTRY_RETRY_BUDGET: '3s',
        REGISTRY_CHUNK_THRESHOLD: '1MiB',
        REGISTRY_CHUNK_SIZE: '1MiB',
      },
    });
    await fixture.bus.consume(
      { durable: `test-${randomUUID()}`, filterSubject: `gitops.v1.${app}.image.>` },
      async ({ event }) => {
        outcomes.push(event.event);
      },
    );
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await pusher?.stop();
    await Promise.all([fixture?.dispose(), redisServer?.dispose(), registry?.dispose()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  const outcomeOf = (pipelineId: string) =>
    vi.waitFor(
      () => {
        const found = outcomes.find((e) => e.data.pipelineId === pipelineId);
        if (!found) throw new Error(`no image.* for ${pipelineId} yet`);
        return found;
      },
      { timeout: 20_000, interval: 20 },
    );

  /** Stops the registry as the pusher sends its first upload chunk; resolves once it is stopped. */
  function stopRegistryMidUpload() {
    const original = HttpTransport.prototype.send;
    let stopped: Promise<number> | undefined;
    vi.spyOn(HttpTransport.prototype, 'send').mockImplementation(async function (this: HttpTransport, req) {
      if (req.method === 'PATCH') {
        stopped ??= registry.stop().then(() => performance.now());
        await stopped;
      }
      return original.call(this, req);
    });
    return () =>
      vi.waitFor(() => stopped ?? Promise.reject(new Error('not stopped yet')), { timeout: 10_000 });
  }

  const publishBuild = async () => {
    const image = await writeBuild(dataDir, undefined, 3 * MiB);
    const event = buildSucceeded({ app, digest: image.root.digest, layout: image.layout });
    await fixture.bus.publish(event);
    return event;
  };

  it('finishes the push with image.pushed when the registry comes back within the budget', async () => {
    const whenStopped = stopRegistryMidUpload();
    const event = await publishBuild();
    await whenStopped();
    await sleep(2000);
    await registry.restart();
    const outcome = await outcomeOf(event.data.pipelineId);
    expect(outcome.type).toBe('dev.gitops.image.pushed.v1');
    expect(outcome.data).toMatchObject({
      digest: event.data.image.digest,
      tags: ['main-0123456-1', expect.any(String)],
    });
    const { client, repository } = registryFor(`${registry.host}/acme/${app}`, {
      REGISTRY_URL: registry.url,
    });
    expect((await client.headManifest(repository, 'main-0123456-1'))?.digest).toBe(event.data.image.digest);
  });

  it('answers image.failed naming the outage once the registry stays away past the budget, without retrying the job', async () => {
    const whenStopped = stopRegistryMidUpload();
    const event = await publishBuild();
    const stoppedAt = await whenStopped();
    try {
      const outcome = await outcomeOf(event.data.pipelineId);
      const waited = performance.now() - stoppedAt;
      expect(outcome.type).toBe('dev.gitops.image.failed.v1');
      expect(outcome.data).toMatchObject({
        repository: `${registry.host}/acme/${app}`,
        error: {
          message: expect.stringMatching(
            /^GITOPS_IMAGE_REGISTRY_OUTAGE: the registry stayed unavailable for the whole REGISTRY_RETRY_BUDGET; giving up: GITOPS_REGISTRY_UNAVAILABLE: .*ECONNREFUSED.*retry budget of 3s spent/,
          ),
        },
      });
      expect(waited).toBeGreaterThanOrEqual(3000);
      expect(waited).toBeLessThan(5500); // one budget, not one per job attempt (JOB_ATTEMPTS is 2 here)
    } finally {
      await registry.restart();
    }
  });
});
