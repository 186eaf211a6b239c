import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sha256Digest } from './digest.js';
import { readOciLayout } from './layout-reader.js';
import { OciLayoutWriter, REF_NAME_ANNOTATION } from './layout-writer.js';
import { MediaTypes } from './media-types.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'oci-layout-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function writeImage(layoutDir: string) {
  const writer = await OciLayoutWriter.create(layoutDir);
  const file = join(dir, 'layer.tar');
  await writeFile(file, 'layer from a file');
  const fromFile = await writer.addBlobFromFile(file, MediaTypes.ociLayer);
  const fromStream = await writer.addBlobFromStream(
    Readable.from([Buffer.from('a'), Buffer.from('b')]),
    MediaTypes.ociLayer,
  );
  const config = await writer.addJson({ architecture: 'amd64', os: 'linux' }, MediaTypes.ociConfig);
  const manifest = await writer.addManifest(
    { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config, layers: [fromFile, fromStream] },
    { refName: 'v1' },
  );
  await writer.finish();
  return { manifest, config, layers: [fromFile, fromStream] };
}

describe('OciLayoutWriter and readOciLayout', () => {
  it('writes blobs under their sha256 and an index.json naming the manifest', async () => {
    const layoutDir = join(dir, 'layout');
    const { manifest, layers } = await writeImage(layoutDir);
    expect(layers[1]).toEqual({ mediaType: MediaTypes.ociLayer, digest: sha256Digest('ab'), size: 2 });
    const blob = await readFile(join(layoutDir, 'blobs', 'sha256', sha256Digest('ab').slice(7)), 'utf8');
    expect(blob).toBe('ab');
    expect(JSON.parse(await readFile(join(layoutDir, 'oci-layout'), 'utf8'))).toEqual({
      imageLayoutVersion: '1.0.0',
    });
    const layout = await readOciLayout(layoutDir);
    expect(layout.index.manifests).toEqual([manifest]);
    expect(manifest.annotations?.[REF_NAME_ANNOTATION]).toBe('v1');
    expect(layout.find('v1')).toEqual(manifest);
    expect(layout.find(manifest.digest)).toEqual(manifest);
  });

  it('walks a manifest to its config and layers, and verifies blob sizes', async () => {
    const layoutDir = join(dir, 'layout');
    const { manifest, config, layers } = await writeImage(layoutDir);
    const layout = await readOciLayout(layoutDir);
    const walked = await layout.walk(layout.find());
    expect(walked.blobs).toEqual([config, ...layers]);
    expect(walked.manifests.map((m) => m.descriptor)).toEqual([manifest]);

    await writeFile(layout.blobPath(config.digest), 'truncated');
    await expect(layout.walk(manifest)).rejects.toThrow(/is 9 bytes, not/);
  });

  it('refuses a blob whose bytes do not match its digest', async () => {
    const layoutDir = join(dir, 'layout');
    const { manifest } = await writeImage(layoutDir);
    const layout = await readOciLayout(layoutDir);
    await writeFile(layout.blobPath(manifest.digest), '{}');
    await expect(layout.readBlob(manifest.digest)).rejects.toThrow(/does not match its digest/);
  });

  it('adds an image’s config and OCI manifest in one call, listed in index.json', async () => {
    const writer = await OciLayoutWriter.create(join(dir, 'image'));
    const layer = await writer.addBlob('layer', MediaTypes.ociLayer);
    const { config, manifest } = await writer.addImage([layer], { os: 'linux' }, { refName: 'latest' });
    await writer.finish();
    const layout = await readOciLayout(writer.dir);
    expect(layout.find('latest')).toEqual(manifest);
    expect(await layout.readJson(manifest.digest)).toEqual({
      schemaVersion: 2,
      mediaType: MediaTypes.ociManifest,
      config: { ...config, mediaType: MediaTypes.ociConfig },
      layers: [layer],
    });
    expect(await layout.readJson(config.digest)).toEqual({ os: 'linux' });
  });

  it('names the missing index.json of a directory that is no layout', async () => {
    await expect(readOciLayout(dir)).rejects.toMatchObject({ code: 'GITOPS_OCI_LAYOUT_INVALID' });
  });
});
