import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@gitops/errors';
import { digestHex, sha256Digest } from './digest.js';
import { REF_NAME_ANNOTATION } from './layout-writer.js';
import { isManifestMediaType } from './media-types.js';
import { type Descriptor, type ImageIndex, type ImageManifest, isImageIndex } from './types.js';

/** A manifest or index read from a layout, with the descriptor it was reached by. */
export interface LayoutNode {
  descriptor: Descriptor;
  manifest: ImageManifest | ImageIndex;
}

/** An OCI image layout on disk, opened by `readOciLayout`. */
export interface OciLayout {
  dir: string;
  index: ImageIndex;
  blobPath(digest: string): string;
  /** A blob's bytes, checked against its digest (for manifests and configs: small blobs). */
  readBlob(digest: string): Promise<Buffer>;
  readJson<T>(digest: string): Promise<T>;
  /**
   * The index.json entry for a manifest digest or a `ref.name` annotation; with no argument, the only
   * entry (an error when there are several).
   */
  find(digestOrRefName?: string): Descriptor;
  /**
   * Everything reachable from a manifest or index, children before parents, so pushing in this order
   * never names a blob the registry lacks. Blob sizes are checked against the files.
   */
  walk(root: Descriptor): Promise<{ blobs: Descriptor[]; manifests: LayoutNode[] }>;
}

const invalid = (dir: string, why: string) =>
  new AppError('GITOPS_OCI_LAYOUT_INVALID', `OCI layout ${dir}: ${why}`, { statusCode: 422 });

/** Opens an OCI image layout directory written by `OciLayoutWriter` or any OCI tool (buildah, skopeo, umoci). */
export async function readOciLayout(dir: string): Promise<OciLayout> {
  const index = await readFile(join(dir, 'index.json'), 'utf8').then(
    (text) => JSON.parse(text) as ImageIndex,
    (err: Error) => {
      throw invalid(dir, `no readable index.json (${err.message})`);
    },
  );
  if (!Array.isArray(index.manifests)) throw invalid(dir, 'index.json has no manifests');
  const blobPath = (digest: string) => join(dir, 'blobs', 'sha256', digestHex(digest));
  const readBlob = async (digest: string) => {
    const bytes = await readFile(blobPath(digest)).catch(() => {
      throw invalid(dir, `blob ${digest} is missing`);
    });
    if (sha256Digest(bytes) !== digest) throw invalid(dir, `blob ${digest} does not match its digest`);
    return bytes;
  };
  const readJson = async <T>(digest: string) => JSON.parse((await readBlob(digest)).toString('utf8')) as T;
  const find = (key?: string) => findEntry(dir, index, key);
  const walk = (root: Descriptor) => walkLayout(dir, root, readJson, blobPath);
  return { dir, index, blobPath, readBlob, readJson, find, walk };
}

function findEntry(dir: string, index: ImageIndex, key?: string): Descriptor {
  if (key === undefined) {
    const [only, ...rest] = index.manifests;
    if (!only || rest.length > 0)
      throw invalid(dir, `expected one manifest, index.json lists ${index.manifests.length}`);
    return only;
  }
  const found = index.manifests.find((d) => d.digest === key || d.annotations?.[REF_NAME_ANNOTATION] === key);
  if (!found) throw invalid(dir, `index.json lists no manifest ${key}`);
  return found;
}

async function walkLayout(
  dir: string,
  root: Descriptor,
  readJson: <T>(digest: string) => Promise<T>,
  blobPath: (digest: string) => string,
): Promise<{ blobs: Descriptor[]; manifests: LayoutNode[] }> {
  const blobs = new Map<string, Descriptor>();
  const manifests: LayoutNode[] = [];
  const visit = async (descriptor: Descriptor): Promise<void> => {
    const manifest = await readJson<ImageManifest | ImageIndex>(descriptor.digest);
    const children = isImageIndex(manifest) ? manifest.manifests : [manifest.config, ...manifest.layers];
    for (const child of children) {
      if (isManifestMediaType(child.mediaType)) await visit(child);
      else blobs.set(child.digest, child);
    }
    if (!manifests.some((m) => m.descriptor.digest === descriptor.digest))
      manifests.push({ descriptor, manifest });
  };
  await visit(root);
  for (const blob of blobs.values()) {
    const size = await stat(blobPath(blob.digest)).then(
      (s) => s.size,
      () => -1,
    );
    if (size !== blob.size)
      throw invalid(
        dir,
        `blob ${blob.digest} is ${size < 0 ? 'missing' : `${size} bytes, not ${blob.size}`}`,
      );
  }
  return { blobs: [...blobs.values()], manifests };
}
