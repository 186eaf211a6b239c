import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { GitopsEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { digestFile, listAttachments, pushLayout, readOciLayout, registryFor } from '@gitops/oci';
import {
  type RedisServer,
  type RegistryServer,
  TEST_SHA as SHA,
  buildSucceeded,
  startRedisServer,
  startRegistry,
  testApplication,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DsseEnvelope, verifyEnvelope } from './provenance.js';
import { imagePusher } from './service.js';
import { writeBuild } from './test/layouts.js';

const keys = generateKeyPairSync('ed25519');
const BUILDER_ID = 'https://gitops.platform/image-builder/v1';

describe('the image pusher service, in-process against real NATS, Redis and registry', () => {
  let fixture: BusFixture;
  let redisServer: RedisServer;
  let registry: RegistryServer;
  let pusher: Awaited<ReturnType<typeof startServiceFixture>>;
  let dataDir: string;
  let base: { dir: string; layers: Awaited<ReturnType<typeof writeBuild>>['layers']; digest: string };
  const app = `hello-${randomUUID().slice(0, 6)}`;
  const env = () => ({ REGISTRY_URL: registry.url });
  const repository = () => `${registry.host}/acme/${app}`;

  beforeAll(async () => {
    [fixture, redisServer, registry] = await Promise.all([
      startBusFixture(),
      startRedisServer(),
      startRegistry(),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'pusher-data-'));
    const keyFile = join(dataDir, 'provenance.pem');
    await writeFile(keyFile, keys.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    // A base image in another repository of the same registry, as a Dockerfile's FROM would name it.
    const baseBuild = await writeBuild(dataDir, undefined, 256 * 1024);
    const { client } = registryFor(`${registry.host}/acme/base`, env());
    await pushLayout(
      client,
      'acme/base',
      await readOciLayout(join(dataDir, baseBuild.layout)),
      baseBuild.root,
      { tags: ['1.0'] },
    );
    base = { dir: join(dataDir, baseBuild.layout), layers: baseBuild.layers, digest: baseBuild.root.digest };
    pusher = await startServiceFixture(imagePusher, {
      bus: fixture,
      redisUrl: redisServer.url,
      apps: [testApplication(app, { imageRepository: repository() })],
      dataDir,
      env: { ...env(), PROVENANCE_SIGNING_KEY_FILE: keyFile, PROVENANCE_BUILDER_ID: BUILDER_ID },
    });
    await fixture.bus.consume(
      { durable: `test-${randomUUID()}`, filterSubject: `gitops.v1.${app}.image.>` },
      async ({ event }) => {
        outcomes.push(event.event);
      },
    );
  });
  afterAll(async () => {
    await pusher?.stop();
    await Promise.all([fixture?.dispose(), redisServer?.dispose(), registry?.dispose()]);
    await rm(dataDir, { recursive: true, force: true });
  });

  const build = async () => {
    const image = await writeBuild(dataDir, base);
    const baseImages = [{ name: `${registry.host}/acme/base:1.0`, digest: base.digest }];
    return {
      image,
      event: buildSucceeded({ app, digest: image.root.digest, layout: image.layout, baseImages }),
    };
  };
  const outcomes: GitopsEvent[] = [];
  /** The stage's answers for a pipeline, as a durable consumer of the test's sees them. */
  const eventsOf = (name: 'image.pushed' | 'image.failed', pipelineId: string) =>
    vi.waitFor(
      () => {
        const found = outcomes.filter(
          (e) => e.type === `dev.gitops.${name}.v1` && e.data.pipelineId === pipelineId,
        );
        if (found.length === 0) throw new Error(`no ${name} for ${pipelineId} yet`);
        return found;
      },
      { timeout: 15_000, interval: 20 },
    );

  it('pushes a build’s layout and publishes image.pushed; the image pulls back by digest', async () => {
    const { image, event } = await build();
    await fixture.bus.publish(event);
    const [pushed] = await eventsOf('image.pushed', event.data.pipelineId);
    const data = pushed?.data as Record<string, unknown>;
    const baseBytes = base.layers.reduce((n, l) => n + l.size, 0);
    expect(data).toMatchObject({
      repository: repository(),
      digest: image.root.digest,
      tags: [expect.stringMatching(/^main-0123456-\d+$/), `sha-${SHA}`],
      bytesSkipped: baseBytes,
    });
    expect(data.bytesUploaded).toBeGreaterThan(64 * 1024);
    const metrics = await (await fetch(`${pusher.url}/metrics`)).text();
    expect(metrics).toMatch(/^gitops_image_push_bytes_total\{outcome="uploaded"\} [1-9]/m);

    const { client, repository: repo } = registryFor(repository(), env());
    const pulled = await client.getManifest(repo, image.root.digest);
    for (const layer of pulled.manifest.layers) {
      const file = join(dataDir, 'pulled', randomUUID());
      await client.downloadBlob(repo, layer.digest, file);
      expect((await digestFile(file)).digest).toBe(layer.digest);
    }
  });

  it('attaches signed SLSA provenance that matches the pipeline and verifies with the public key', async () => {
    const { image, event } = await build();
    await fixture.bus.publish(event);
    const [pushed] = await eventsOf('image.pushed', event.data.pipelineId);
    const data = pushed?.data as { buildNumber: number; provenance: { tag: string; signed: boolean } };
    expect(data.provenance).toMatchObject({ tag: `sha256-${image.root.digest.slice(7)}.att`, signed: true });

    const { client, repository: repo } = registryFor(repository(), env());
    const [layer] = await listAttachments(client, repo, image.root.digest);
    const envelope = JSON.parse(
      (await client.fetchBlob(repo, layer?.digest ?? '')).toString(),
    ) as DsseEnvelope;
    expect(verifyEnvelope(envelope, keys.publicKey)).toBe(true);
    const statement = JSON.parse(Buffer.from(envelope.payload, 'base64').toString());
    expect(statement.subject).toEqual([
      { name: repository(), digest: { sha256: image.root.digest.slice(7) } },
    ]);
    expect(statement.predicate.buildDefinition).toMatchObject({
      externalParameters: { app, source: { ...event.data.source, commit: SHA } },
      internalParameters: {
        pipelineId: event.data.pipelineId,
        buildNumber: data.buildNumber,
        steps: event.data.steps,
      },
      resolvedDependencies: [
        { digest: { gitCommit: SHA } },
        { uri: `oci://${registry.host}/acme/base:1.0`, digest: { sha256: base.digest.slice(7) } },
      ],
    });
    expect(statement.predicate.runDetails.builder.id).toBe(BUILDER_ID);
  });

  it('runs again for a replayed build.succeeded: same digest, tags and build number, nothing uploaded', async () => {
    const { event } = await build();
    await fixture.bus.publish(event);
    const [first] = await eventsOf('image.pushed', event.data.pipelineId);
    // Past the duplicate window (200 ms here) JetStream stores the replay, as it would after 72 hours;
    // the finished job is not kept (JOB_KEEP_COMPLETED 0), so the stage runs the push again.
    await sleep(300);
    await fixture.bus.publish(event);
    const pushes = await vi.waitFor(
      async () => {
        const found = await eventsOf('image.pushed', event.data.pipelineId);
        if (found.length < 2) throw new Error('no second image.pushed yet');
        return found as GitopsEvent<'image.pushed'>[];
      },
      { timeout: 15_000 },
    );
    const [, again] = pushes;
    expect(again?.id).toBe(first?.id);
    expect(again?.data).toMatchObject({
      digest: (first as GitopsEvent<'image.pushed'>).data.digest,
      tags: (first as GitopsEvent<'image.pushed'>).data.tags,
      buildNumber: (first as GitopsEvent<'image.pushed'>).data.buildNumber,
      bytesUploaded: 0,
      provenance: (first as GitopsEvent<'image.pushed'>).data.provenance,
    });
  });

  it('refuses to move a semver tag to another image: image.failed names the tag', async () => {
    const release = async () => {
      const image = await writeBuild(dataDir, base);
      return buildSucceeded({
        app,
        digest: image.root.digest,
        layout: image.layout,
        ref: 'refs/tags/v1.0.0',
      });
    };
    const first = await release();
    await fixture.bus.publish(first);
    const [pushed] = await eventsOf('image.pushed', first.data.pipelineId);
    expect(pushed?.data).toMatchObject({ tags: expect.arrayContaining(['1.0.0']) });

    const second = await release();
    await fixture.bus.publish(second);
    const [failed] = await eventsOf('image.failed', second.data.pipelineId);
    expect(failed?.data).toMatchObject({
      repository: repository(),
      error: {
        message: expect.stringMatching(/GITOPS_REGISTRY_TAG_CONFLICT: tag .*:1\.0\.0 already points at/),
      },
    });
    const { client, repository: repo } = registryFor(repository(), env());
    expect((await client.headManifest(repo, '1.0.0'))?.digest).toBe(first.data.image.digest);
  });
});
