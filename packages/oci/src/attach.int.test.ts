import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRegistry } from '@gitops/testing';
import { afterAll, describe, expect, it } from 'vitest';
import { attachArtifact, attachmentTag, listAttachments } from './attach.js';
import { MediaTypes } from './media-types.js';
import { pushLayout } from './push-layout.js';
import { RegistryClient } from './registry-client.js';
import { writeRandomImage } from './test/images.js';

describe('attaching artifacts with the tag-schema fallback', async () => {
  const registry = await startRegistry();
  const dir = await mkdtemp(join(tmpdir(), 'oci-attach-'));
  const client = new RegistryClient({ url: registry.url });
  afterAll(async () => {
    client.close();
    await registry.dispose();
    await rm(dir, { recursive: true, force: true });
  });
  const statement = (n: number) => ({
    artifactType: MediaTypes.inTotoStatement,
    mediaType: MediaTypes.inTotoStatement,
    bytes: Buffer.from(JSON.stringify({ n })),
  });

  it('stores an artifact manifest naming the image as subject under sha256-<hex>.att', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [10]);
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root);
    const attached = await attachArtifact(client, repository, image.root, statement(1));
    expect(attached.tag).toBe(`sha256-${image.root.digest.slice(7)}.att`);
    expect(attachmentTag(image.root.digest, 'sig')).toBe(`sha256-${image.root.digest.slice(7)}.sig`);

    const { manifest } = await client.getManifest(repository, attached.tag);
    expect(manifest).toMatchObject({
      artifactType: MediaTypes.inTotoStatement,
      config: { mediaType: MediaTypes.ociEmpty },
      subject: { digest: image.root.digest, mediaType: MediaTypes.ociManifest, size: image.root.size },
    });
    const [layer] = await listAttachments(client, repository, image.root.digest);
    expect(JSON.parse((await client.fetchBlob(repository, layer?.digest ?? '')).toString())).toEqual({
      n: 1,
    });
  });

  it('adds a second artifact beside the first, and never the same one twice', async () => {
    const image = await writeRandomImage(join(dir, randomUUID()), [10]);
    const repository = `acme/${randomUUID()}`;
    await pushLayout(client, repository, image.layout, image.root);
    const first = await attachArtifact(client, repository, image.root, statement(1));
    expect(await attachArtifact(client, repository, image.root, statement(1))).toEqual(first);
    await attachArtifact(client, repository, image.root, statement(2));
    const layers = await listAttachments(client, repository, image.root.digest);
    expect(layers.map((l) => l.digest)).toEqual([
      first.layer.digest,
      expect.not.stringMatching(first.layer.digest),
    ]);
  });

  it('lists no attachments for an image without any', async () => {
    expect(await listAttachments(client, `acme/${randomUUID()}`, `sha256:${'1'.repeat(64)}`)).toEqual([]);
  });
});
