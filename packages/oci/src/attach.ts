import { blobFromBytes } from './blob-upload.js';
import { digestHex } from './digest.js';
import { MediaTypes } from './media-types.js';
import type { RegistryClient } from './registry-client.js';
import { type Descriptor, type ImageManifest, isImageIndex } from './types.js';

export interface Artifact {
  /** What the artifact is (`application/vnd.in-toto+json`, …): the manifest's artifactType. */
  artifactType: string;
  /** The layer holding it (the statement itself, or a DSSE envelope around it). */
  mediaType: string;
  bytes: Buffer;
}

export interface Attached {
  /** `sha256-<hex>.<suffix>`: the tag the fallback scheme finds attachments by. */
  tag: string;
  /** The attachment manifest's digest. */
  digest: string;
  /** The artifact layer's descriptor. */
  layer: Descriptor;
}

/** The tag-schema fallback of OCI distribution 1.1 (and cosign): `sha256-<hex>.<suffix>` names what is attached. */
export const attachmentTag = (subject: string, suffix: string): string =>
  `sha256-${digestHex(subject)}.${suffix}`;

const EMPTY_CONFIG = Buffer.from('{}');

/**
 * Attaches an artifact (an attestation, a signature) to an image with the tag-schema fallback, for registries
 * without the referrers API (distribution 2.8): an OCI 1.1 artifact manifest whose `subject` is the image,
 * stored under `sha256-<hex>.<suffix>`. Attachments accumulate as layers of that one manifest, as cosign
 * does; one already there is not added twice, so attaching again is a no-op.
 */
export async function attachArtifact(
  client: RegistryClient,
  repository: string,
  subject: Descriptor,
  artifact: Artifact,
  suffix = 'att',
): Promise<Attached> {
  const tag = attachmentTag(subject.digest, suffix);
  const layer = blobFromBytes(artifact.bytes, artifact.mediaType);
  const existing = await client.headManifest(repository, tag);
  const previous = existing ? await client.fetchManifest(repository, existing.digest) : undefined;
  const layers = previous && !isImageIndex(previous.manifest) ? previous.manifest.layers : [];
  if (previous && layers.some((l) => l.digest === layer.descriptor.digest)) {
    return { tag, digest: previous.digest, layer: layer.descriptor };
  }
  const config = blobFromBytes(EMPTY_CONFIG, MediaTypes.ociEmpty);
  await client.pushBlob(repository, config);
  await client.pushBlob(repository, layer);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    artifactType: artifact.artifactType,
    config: config.descriptor,
    layers: [...layers, layer.descriptor],
    subject: { mediaType: subject.mediaType, digest: subject.digest, size: subject.size },
  };
  const digest = await client.putManifest(
    repository,
    tag,
    Buffer.from(JSON.stringify(manifest)),
    MediaTypes.ociManifest,
  );
  return { tag, digest, layer: layer.descriptor };
}

/** The artifacts attached to an image under the fallback tag, as layer descriptors (empty when none). */
export async function listAttachments(
  client: RegistryClient,
  repository: string,
  subject: string,
  suffix = 'att',
): Promise<Descriptor[]> {
  const tag = attachmentTag(subject, suffix);
  if (!(await client.headManifest(repository, tag))) return [];
  const { manifest } = await client.fetchManifest(repository, tag);
  return isImageIndex(manifest) ? [] : manifest.layers;
}
