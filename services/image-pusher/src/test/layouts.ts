import { randomBytes, randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { type Descriptor, MediaTypes, OciLayoutWriter } from '@gitops/oci';

export interface BuiltImage {
  /** The layout directory relative to the data directory, as build.succeeded names it. */
  layout: string;
  root: Descriptor;
  layers: Descriptor[];
}

/**
 * Writes an OCI layout as the builder would: the layers of a base image (copied from its layout), then
 * one new layer of random bytes, a config and a manifest.
 */
export async function writeBuild(
  dataDir: string,
  base: { dir: string; layers: Descriptor[] } | undefined,
  newLayerSize = 64 * 1024,
): Promise<BuiltImage> {
  const layout = join('layouts', randomUUID());
  const writer = await OciLayoutWriter.create(join(dataDir, layout));
  const layers: Descriptor[] = [];
  for (const layer of base?.layers ?? []) {
    layers.push(
      await writer.addBlobFromFile(
        join(base?.dir ?? '', 'blobs', 'sha256', layer.digest.slice(7)),
        layer.mediaType,
      ),
    );
  }
  layers.push(await writer.addBlob(randomBytes(newLayerSize), MediaTypes.ociLayer));
  const { manifest: root } = await writer.addImage(layers, {
    architecture: 'amd64',
    os: 'linux',
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  });
  await writer.finish();
  return { layout, root, layers };
}
