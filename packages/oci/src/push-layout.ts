import { AppError } from '@gitops/errors';
import { blobFromFile } from './blob-upload.js';
import type { OciLayout } from './layout-reader.js';
import type { RegistryClient } from './registry-client.js';
import type { Descriptor } from './types.js';

export interface PushLayoutOptions {
  /** Tags to point at the image. Tags are immutable: one naming another digest fails the push up front. */
  tags?: string[];
  /** Tags written when free; one already naming another digest is left as it is (first image wins). */
  tagsIfFree?: string[];
  /** Repositories on the same registry that may hold some blobs already: mounted instead of uploaded. */
  mountFrom?: string[];
  /** Blobs uploaded at once (default 4). */
  concurrency?: number;
}

export interface PushResult {
  digest: string;
  mediaType: string;
  /** The tags that point at the image now (a `tagsIfFree` tag held by another image is not among them). */
  tags: string[];
  /** Bytes of blobs the registry lacked and got from us. */
  bytesUploaded: number;
  /** Bytes of blobs it had already (HEAD) or mounted from another repository. */
  bytesSkipped: number;
  blobs: { digest: string; size: number; outcome: BlobOutcome }[];
}

export type BlobOutcome = 'exists' | 'mounted' | 'uploaded';

/** The error for a tag that already names another image. */
export function tagConflict(repository: string, tag: string, existing: string, wanted: string): AppError {
  return new AppError(
    'GITOPS_REGISTRY_TAG_CONFLICT',
    `tag ${repository}:${tag} already points at ${existing}, not ${wanted}; tags are immutable, so it was left as it is`,
    { statusCode: 409 },
  );
}

/** Where each tag points now, and which need a PUT; a strict tag at another digest is a conflict. */
async function planTags(
  client: RegistryClient,
  repository: string,
  digest: string,
  options: PushLayoutOptions,
) {
  const strict = options.tags ?? [];
  const all = [...strict, ...(options.tagsIfFree ?? []).filter((t) => !strict.includes(t))];
  const current = await Promise.all(all.map((tag) => client.headManifest(repository, tag)));
  const write: string[] = [];
  const ours: string[] = [];
  all.forEach((tag, i) => {
    const existing = current[i]?.digest;
    if (existing && existing !== digest && strict.includes(tag))
      throw tagConflict(repository, tag, existing, digest);
    if (!existing) write.push(tag);
    if (!existing || existing === digest) ours.push(tag);
  });
  return { write, ours };
}

async function inPool<T, R>(items: T[], concurrency: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < items.length; i = next++) results[i] = await fn(items[i] as T);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}

/**
 * Pushes an image (or index) from an OCI layout: blobs the repository lacks (HEAD first, mount when another
 * repository has them, else streamed from disk), then manifests children first, then tags. An image already
 * complete under its tags uploads nothing, so a replayed push is free. Registries have no compare-and-set
 * for tags: two pushes racing for one free tag both see it free, and the later PUT wins.
 */
export async function pushLayout(
  client: RegistryClient,
  repository: string,
  layout: OciLayout,
  root: Descriptor,
  options: PushLayoutOptions = {},
): Promise<PushResult> {
  const tags = await planTags(client, repository, root.digest, options);
  const { blobs, manifests } = await layout.walk(root);
  const pushed = await inPool(blobs, options.concurrency ?? 4, async (descriptor) => {
    const blob = blobFromFile(descriptor, layout.blobPath(descriptor.digest));
    const outcome = await client.pushBlob(repository, blob, options.mountFrom ?? []);
    return { digest: descriptor.digest, size: descriptor.size, outcome };
  });
  for (const { descriptor } of manifests) {
    const exists = await client.headManifest(repository, descriptor.digest);
    if (!exists)
      await client.putManifest(
        repository,
        descriptor.digest,
        await layout.readBlob(descriptor.digest),
        descriptor.mediaType,
      );
  }
  const bytes = await layout.readBlob(root.digest);
  for (const tag of tags.write) await client.putManifest(repository, tag, bytes, root.mediaType);
  const sum = (o: (b: BlobOutcome) => boolean) =>
    pushed.filter((b) => o(b.outcome)).reduce((n, b) => n + b.size, 0);
  return {
    digest: root.digest,
    mediaType: root.mediaType,
    tags: tags.ours,
    bytesUploaded: sum((o) => o === 'uploaded'),
    bytesSkipped: sum((o) => o !== 'uploaded'),
    blobs: pushed,
  };
}
