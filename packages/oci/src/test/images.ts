import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type OciLayout, readOciLayout } from '../layout-reader.js';
import { OciLayoutWriter } from '../layout-writer.js';
import { MediaTypes } from '../media-types.js';
import type { Descriptor } from '../types.js';

/** Writes `size` random bytes to a file in 1 MiB pieces (tens of MB never sit in memory at once). */
export async function randomFile(path: string, size: number): Promise<void> {
  const out = createWriteStream(path);
  for (let left = size; left > 0; left -= 1 << 20) {
    if (!out.write(randomBytes(Math.min(left, 1 << 20)))) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

export interface TestImage {
  layout: OciLayout;
  root: Descriptor;
  layers: Descriptor[];
  config: Descriptor;
}

/** An OCI layout holding one linux/amd64 image whose layers are random bytes of the given sizes. */
export async function writeRandomImage(
  dir: string,
  layerSizes: number[],
  label = 'test',
): Promise<TestImage> {
  await mkdir(dir, { recursive: true });
  const writer = await OciLayoutWriter.create(join(dir, 'layout'));
  const layers: Descriptor[] = [];
  for (const [i, size] of layerSizes.entries()) {
    const file = join(dir, `layer-${i}`);
    await randomFile(file, size);
    layers.push(await writer.addBlobFromFile(file, MediaTypes.ociLayer));
  }
  const { config, manifest: root } = await writer.addImage(layers, {
    architecture: 'amd64',
    os: 'linux',
    config: { Labels: { label } },
    rootfs: { type: 'layers', diff_ids: layers.map((l) => l.digest) },
  });
  await writer.finish();
  return { layout: await readOciLayout(writer.dir), root, layers, config };
}
