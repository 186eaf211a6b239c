import { createReadStream } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { digestHex } from './digest.js';
import { hashingCopy } from './hashing-copy.js';
import { MediaTypes } from './media-types.js';
import type { Descriptor, ImageIndex, ImageManifest, Platform } from './types.js';

/** The OCI annotation that names a manifest inside a layout (`index.json`), like a tag. */
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface AddManifestOptions {
  /** Recorded as `org.opencontainers.image.ref.name` in index.json. */
  refName?: string;
  platform?: Platform;
  annotations?: Record<string, string>;
}

/**
 * Writes an OCI image layout (image spec `image-layout.md`): `oci-layout`, `blobs/sha256/<hex>` and, on
 * `finish()`, `index.json` listing the manifests added. Blobs are streamed to a temp file and renamed
 * once hashed, so a layout never holds a blob under a wrong name.
 */
export class OciLayoutWriter {
  private readonly manifests: Descriptor[] = [];

  private constructor(readonly dir: string) {}

  /** Creates the directory (and parents) and its `oci-layout` file. */
  static async create(dir: string): Promise<OciLayoutWriter> {
    await mkdir(join(dir, 'blobs', 'sha256'), { recursive: true });
    await writeFile(join(dir, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    return new OciLayoutWriter(dir);
  }

  /** The path a blob of this digest has in the layout. */
  blobPath(digest: string): string {
    return join(this.dir, 'blobs', 'sha256', digestHex(digest));
  }

  /** Adds a blob from a stream, hashing it on the way to disk. */
  async addBlobFromStream(stream: Readable, mediaType: string): Promise<Descriptor> {
    const { digest, size } = await hashingCopy(stream, {
      tempDir: join(this.dir, 'blobs', 'sha256'),
      target: (d) => this.blobPath(d),
    });
    return { mediaType, digest, size };
  }

  /** Adds a blob from bytes or a string (UTF-8). */
  addBlob(data: Buffer | string, mediaType: string): Promise<Descriptor> {
    return this.addBlobFromStream(Readable.from([Buffer.from(data)]), mediaType);
  }

  /** Adds a copy of a file (a layer tarball, say) as a blob. */
  addBlobFromFile(path: string, mediaType: string): Promise<Descriptor> {
    return this.addBlobFromStream(createReadStream(path, { highWaterMark: 1 << 20 }), mediaType);
  }

  /** Adds a JSON document (an image config, say) as a blob; the bytes are exactly `JSON.stringify(value)`. */
  addJson(value: unknown, mediaType: string): Promise<Descriptor> {
    return this.addBlob(JSON.stringify(value), mediaType);
  }

  /**
   * Adds a manifest or index blob and lists it in index.json. Its media type comes from its own
   * `mediaType` field (OCI manifest when absent), which is also what the registry push uses.
   */
  async addManifest(
    manifest: ImageManifest | ImageIndex,
    options: AddManifestOptions = {},
  ): Promise<Descriptor> {
    const mediaType = manifest.mediaType ?? MediaTypes.ociManifest;
    const blob = await this.addJson(manifest, mediaType);
    const annotations = {
      ...options.annotations,
      ...(options.refName ? { [REF_NAME_ANNOTATION]: options.refName } : {}),
    };
    const descriptor: Descriptor = {
      ...blob,
      ...(options.platform ? { platform: options.platform } : {}),
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    };
    this.manifests.push(descriptor);
    return descriptor;
  }

  /**
   * Adds an image whose layers are already in the layout: its config (an OCI image config object, written
   * as given) and an OCI manifest listing `layers` in order, recorded in index.json.
   */
  async addImage(
    layers: Descriptor[],
    config: object,
    options: AddManifestOptions = {},
  ): Promise<{ config: Descriptor; manifest: Descriptor }> {
    const configBlob = await this.addJson(config, MediaTypes.ociConfig);
    const manifest = await this.addManifest(
      { schemaVersion: 2, mediaType: MediaTypes.ociManifest, config: configBlob, layers },
      options,
    );
    return { config: configBlob, manifest };
  }

  /** Writes index.json; the layout is complete afterwards. */
  async finish(): Promise<ImageIndex> {
    const index: ImageIndex = { schemaVersion: 2, mediaType: MediaTypes.ociIndex, manifests: this.manifests };
    await writeFile(join(this.dir, 'index.json'), JSON.stringify(index));
    return index;
  }
}
