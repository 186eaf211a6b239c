/**
 * @gitops/oci: OCI image layouts on disk and a registry client implementing the OCI distribution spec.
 *
 * Layouts: `OciLayoutWriter` writes one (blobs/sha256/<hex>, index.json, oci-layout), `readOciLayout`
 * opens one. Registry: `registryFor(imageRef, env)` picks the registry, credentials and scheme for an image
 * name the way docs/configuration.md says (`REGISTRY_URL`, …); `RegistryClient` pulls and pushes.
 */
export { type Artifact, type Attached, attachArtifact, attachmentTag, listAttachments } from './attach.js';
export { type Credentials, type Challenge, parseChallenge } from './auth.js';
export {
  type BlobSource,
  blobFromBytes,
  blobFromFile,
  DEFAULT_UPLOAD_TUNING,
  type UploadTuning,
} from './blob-upload.js';
export { digestFile, digestHex, isDigest, sha256Digest } from './digest.js';
export { HttpTransport, type HttpTransportOptions } from './http-transport.js';
export { type LayoutNode, type OciLayout, readOciLayout } from './layout-reader.js';
export { type AddManifestOptions, OciLayoutWriter, REF_NAME_ANNOTATION } from './layout-writer.js';
export { type FetchedManifest, LINUX_AMD64, selectPlatform } from './manifests.js';
export { isIndexMediaType, isManifestMediaType, MANIFEST_ACCEPT, MediaTypes } from './media-types.js';
export {
  type BlobOutcome,
  type PushLayoutOptions,
  type PushResult,
  pushLayout,
  tagConflict,
} from './push-layout.js';
export { DOCKER_HUB, type ImageReference, parseImageReference, repositoryName } from './reference.js';
export { RegistryClient, type RegistryClientOptions, type ResolvedManifest } from './registry-client.js';
export { registryError } from './registry-errors.js';
export { DEFAULT_REGISTRY_URL, type RegistryEnv, type RegistryTarget, registryFor } from './registry-for.js';
export { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
export {
  type Descriptor,
  type ImageIndex,
  type ImageManifest,
  isImageIndex,
  type Platform,
} from './types.js';
