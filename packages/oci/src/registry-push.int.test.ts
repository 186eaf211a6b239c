import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@gitops/testing';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { digestFile } from './digest.js';
import { HttpTransport } from './http-transport.js';
import { readOciLayout } from './layout-reader.js';
import { OciLayoutWriter } from './layout-writer.js';
import { MediaTypes } from './media-types.js';
import { pushLayout } from './push-layout.js';
import { RegistryClient } from './registry-client.js';
import { writeRandomImage } from './test/images.js';

describe('pushing an OCI layout to the Debian registry', async () => {
  const registry = await startRegistry();
  const dir = await mkdtemp(join(tmpdir(), 'oci-push-'));
  const client = new RegistryClient({ url: registry.url });
  afterAll(async () => {
    client.close();
    await registry.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const repo = () => `acme/${randomUUID()}`;

  it('pushes an image that pulls back with every blob matching its digest', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [1000, 200_000, 3]);
    const repository = repo();
    const pushed = await pushLayout(client, repository, image.layout, image.root, { tags: ['v1'] });
    expect(pushed.digest).toBe(image.root.digest);
    expect(pushed.bytesUploaded).toBe(201_003 + image.config.size);

    const pulled = await client.getManifest(repository, 'v1');
    expect(pulled.digest).toBe(image.root.digest);
    expect(pulled.manifest.layers).toEqual(image.layers);
    for (const blob of [pulled.manifest.config, ...pulled.manifest.layers]) {
      const file = join(dir, 'pulled', blob.digest.slice(7));
      expect(await client.downloadBlob(repository, blob.digest, file)).toEqual({
        digest: blob.digest,
        size: blob.size,
      });
      expect(await digestFile(file)).toEqual({ digest: blob.digest, size: blob.size });
    }
  });

  it('uploads zero bytes when the image is pushed a second time', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [50_000, 60_000]);
    const repository = repo();
    const first = await pushLayout(client, repository, image.layout, image.root, { tags: ['t'] });
    const send = vi.spyOn(HttpTransport.prototype, 'send');
    try {
      const second = await pushLayout(client, repository, image.layout, image.root, { tags: ['t'] });
      expect(second).toMatchObject({
        digest: first.digest,
        bytesUploaded: 0,
        bytesSkipped: first.bytesUploaded,
      });
      expect(second.blobs.map((b) => b.outcome)).toEqual(['exists', 'exists', 'exists']);
      expect(send.mock.calls.map(([req]) => req.method).filter((m) => m !== 'HEAD')).toEqual([]);
    } finally {
      send.mockRestore();
    }
  });

  it('mounts blobs from another repository instead of uploading them', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [70_000, 80_000]);
    const base = repo();
    await pushLayout(client, base, image.layout, image.root);
    const pushed = await pushLayout(client, repo(), image.layout, image.root, { mountFrom: [base] });
    expect(pushed.blobs.map((b) => b.outcome)).toEqual(['mounted', 'mounted', 'mounted']);
    expect(pushed.bytesUploaded).toBe(0);
  });

  it('refuses to move a tag that points at another image, and uploads nothing of the new one', async () => {
    const repository = repo();
    const first = await writeRandomImage(join(dir, randomUUID()), [100]);
    const second = await writeRandomImage(join(dir, randomUUID()), [200]);
    await pushLayout(client, repository, first.layout, first.root, { tags: ['1.0.0'] });
    await expect(
      pushLayout(client, repository, second.layout, second.root, { tags: ['sha-x', '1.0.0'] }),
    ).rejects.toMatchObject({
      code: 'GITOPS_REGISTRY_TAG_CONFLICT',
      message: expect.stringContaining(`${repository}:1.0.0 already points at ${first.root.digest}`),
    });
    expect((await client.headManifest(repository, '1.0.0'))?.digest).toBe(first.root.digest);
    expect(await client.headManifest(repository, 'sha-x')).toBeUndefined();
    expect(await client.hasBlob(repository, second.layers[0]?.digest ?? '')).toBe(false);
  });

  it('leaves a first-wins tag held by another image alone and leaves it out of the result', async () => {
    const repository = repo();
    const first = await writeRandomImage(join(dir, randomUUID()), [100]);
    const second = await writeRandomImage(join(dir, randomUUID()), [200]);
    await pushLayout(client, repository, first.layout, first.root, { tagsIfFree: ['sha-abc'] });
    const pushed = await pushLayout(client, repository, second.layout, second.root, {
      tags: ['b-1'],
      tagsIfFree: ['sha-abc'],
    });
    expect(pushed.tags).toEqual(['b-1']);
    expect((await client.headManifest(repository, 'sha-abc'))?.digest).toBe(first.root.digest);
    expect((await client.headManifest(repository, 'b-1'))?.digest).toBe(second.root.digest);
  });

  it('pushes an index after its images, and resolves it to the linux/amd64 image on pull', async () => {
    const amd64 = await writeRandomImage(join(dir, randomUUID()), [300], 'amd64');
    const arm64 = await writeRandomImage(join(dir, randomUUID()), [400], 'arm64');
    const writer = await OciLayoutWriter.create(join(dir, randomUUID()));
    const entries = [];
    for (const [image, architecture] of [
      [arm64, 'arm64'],
      [amd64, 'amd64'],
    ] as const) {
      for (const blob of [image.config, ...image.layers])
        await writer.addBlobFromFile(image.layout.blobPath(blob.digest), blob.mediaType);
      const manifest = await image.layout.readBlob(image.root.digest);
      entries.push({
        ...(await writer.addBlob(manifest, MediaTypes.ociManifest)),
        platform: { os: 'linux', architecture },
      });
    }
    const index = await writer.addManifest({
      schemaVersion: 2,
      mediaType: MediaTypes.ociIndex,
      manifests: entries,
    });
    await writer.finish();
    const repository = repo();
    const pushed = await pushLayout(client, repository, await readOciLayout(writer.dir), index, {
      tags: ['multi'],
    });
    expect(pushed.digest).toBe(index.digest);

    const pulled = await client.getManifest(repository, 'multi');
    expect(pulled.index?.digest).toBe(index.digest);
    expect(pulled.digest).toBe(amd64.root.digest);
    expect(pulled.manifest.layers).toEqual(amd64.layers);
    expect((await client.fetchManifest(repository, 'multi')).mediaType).toBe(MediaTypes.ociIndex);
  });
});
