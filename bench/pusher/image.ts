import { randomBytes, randomUUID } from 'node:crypto';
import {} from 'node:path';
import { Readable } from 'node:stream';
import {
  type Descriptor,
  MediaTypes,
  type OciLayout,
  OciLayoutWriter,
  readOciLayout,
} from '../../packages/oci/src/index.js';

const MB = 1e6;

/** Random bytes, 1 MB at a time, so a layer never sits in memory whole. */
const randomStream = (size: number) =>
  Readable.from(
    (function* () {
      for (let left = size; left > 0; left -= MB) yield randomBytes(Math.min(MB, left));
    })(),
  );

export interface BenchImage {
  layout: OciLayout;
  root: Descriptor;
  /** Every blob of the image: layers, then config. */
  blobs: Descriptor[];
}

/**
 * An OCI layout of one image. A number makes a new layer of that many random bytes; a descriptor reuses
 * the layer of that digest from `reuseFrom` (another bench layout), as an unchanged layer of a rebuild.
 */
export async function writeBenchImage(
  dir: string,
  layers: (number | Descriptor)[],
  reuseFrom?: OciLayout,
): Promise<BenchImage> {
  const writer = await OciLayoutWriter.create(dir);
  const written: Descriptor[] = [];
  for (const layer of layers) {
    if (typeof layer === 'number')
      written.push(await writer.addBlobFromStream(randomStream(layer), MediaTypes.ociLayer));
    else written.push(await writer.addBlobFromFile(reuseFrom?.blobPath(layer.digest) ?? '', layer.mediaType));
  }
  const { config, manifest: root } = await writer.addImage(written, {
    architecture: 'amd64',
    os: 'linux',
    bench: randomUUID(),
  });
  await writer.finish();
  return { layout: await readOciLayout(dir), root, blobs: [...written, config] };
}
