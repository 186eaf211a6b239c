import { copyFile, link, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { type Descriptor, MediaTypes, type OciLayoutWriter, digestHex, registryFor } from '@gitops/oci';
import type { Digest } from '../digest.js';
import { imageErrors } from '../errors.js';
import { type ImageConfig, baseConfig, scratchConfig } from './image-config.js';

export interface BaseImage {
  /** The reference as the FROM line named it. */
  name: string;
  /** The image manifest's digest; undefined for scratch. */
  digest?: Digest;
  config: ImageConfig;
  /** Its layers with OCI media types, their blobs in the cache. */
  layers: Descriptor[];
}

export interface PullOptions {
  env: NodeJS.ProcessEnv;
  /** Blobs are kept here by digest (`<cacheDir>/blobs/sha256/<hex>`), so a second build pulls none. */
  cacheDir: string;
  signal: AbortSignal;
  log(line: string): void;
}

/** Docker's layer type is the same bytes as OCI's; the manifest we write must name OCI types only. */
const OCI_LAYER_TYPES: Record<string, string> = {
  [MediaTypes.dockerLayerGzip]: MediaTypes.ociLayerGzip,
  [MediaTypes.ociLayerGzip]: MediaTypes.ociLayerGzip,
  [MediaTypes.ociLayer]: MediaTypes.ociLayer,
  'application/vnd.oci.image.layer.v1.tar+zstd': 'application/vnd.oci.image.layer.v1.tar+zstd',
};

export const cachedBlobPath = (cacheDir: string, digest: string) =>
  join(cacheDir, 'blobs', 'sha256', digestHex(digest));

/**
 * Resolves a FROM image to its linux/amd64 manifest and makes sure its config and layers are in the
 * cache, downloading only the blobs that are not. `scratch` is an empty image.
 */
export async function pullBaseImage(name: string, options: PullOptions): Promise<BaseImage> {
  if (name === 'scratch') return { name, config: scratchConfig(), layers: [] };
  try {
    const { client, repository, ref } = registryFor(name, options.env);
    const { digest, manifest } = await abortable(
      client.getManifest(repository, ref.reference),
      options.signal,
    );
    options.log(`base image ${name}: ${digest}`);
    const fetch = (blob: Descriptor) => {
      const file = cachedBlobPath(options.cacheDir, blob.digest);
      return stat(file).catch(() => {
        options.log(`pulling ${blob.digest} (${blob.size} bytes)`);
        return client.downloadBlob(repository, blob.digest, file);
      });
    };
    await abortable(Promise.all([manifest.config, ...manifest.layers].map(fetch)), options.signal);
    const config = JSON.parse(
      await readFile(cachedBlobPath(options.cacheDir, manifest.config.digest), 'utf8'),
    );
    return {
      name,
      digest: digest as Digest,
      config: baseConfig(config),
      layers: manifest.layers.map(ociLayer),
    };
  } catch (err) {
    if (options.signal.aborted) throw err;
    throw imageErrors.baseImage(name, err);
  }
}

function ociLayer(layer: Descriptor): Descriptor {
  const mediaType = OCI_LAYER_TYPES[layer.mediaType];
  if (!mediaType) throw imageErrors.unsupportedLayer(layer.digest, layer.mediaType);
  return { mediaType, digest: layer.digest, size: layer.size };
}

/** Puts the cached layers in the layout: hard links when cache and layout share a file system. */
export async function linkBaseLayers(
  base: BaseImage,
  cacheDir: string,
  layout: OciLayoutWriter,
): Promise<void> {
  for (const layer of base.layers) {
    const from = cachedBlobPath(cacheDir, layer.digest);
    const to = layout.blobPath(layer.digest);
    await link(from, to).catch(() => copyFile(from, to));
  }
}

/** Rejects as soon as `signal` aborts; the work itself finishes in the background (a download lands in the cache). */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
