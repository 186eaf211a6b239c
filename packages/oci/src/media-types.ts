/** The media types the platform reads and writes (OCI image spec 1.1 and Docker image manifest v2 schema 2). */
export const MediaTypes = {
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  ociConfig: 'application/vnd.oci.image.config.v1+json',
  ociLayer: 'application/vnd.oci.image.layer.v1.tar',
  ociLayerGzip: 'application/vnd.oci.image.layer.v1.tar+gzip',
  ociEmpty: 'application/vnd.oci.empty.v1+json',
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  dockerConfig: 'application/vnd.docker.container.image.v1+json',
  dockerLayerGzip: 'application/vnd.docker.image.rootfs.diff.tar.gzip',
  inTotoStatement: 'application/vnd.in-toto+json',
  dsseEnvelope: 'application/vnd.dsse.envelope.v1+json',
} as const;

const INDEX_TYPES: ReadonlySet<string> = new Set([MediaTypes.ociIndex, MediaTypes.dockerManifestList]);
const MANIFEST_TYPES: ReadonlySet<string> = new Set([
  MediaTypes.ociManifest,
  MediaTypes.ociIndex,
  MediaTypes.dockerManifest,
  MediaTypes.dockerManifestList,
]);

/**
 * Every manifest GET and HEAD sends this: Debian's registry (distribution 2.8) answers 404 to a manifest
 * request whose Accept matches none of the stored type, even with `*\/*`.
 */
export const MANIFEST_ACCEPT = [...MANIFEST_TYPES].join(', ');

/** An OCI index or a Docker manifest list: a manifest that points at other manifests. */
export const isIndexMediaType = (mediaType: string | undefined): boolean => INDEX_TYPES.has(mediaType ?? '');

/** Whether a descriptor points at a manifest (so it is pushed to /manifests/, not /blobs/). */
export const isManifestMediaType = (mediaType: string | undefined): boolean =>
  MANIFEST_TYPES.has(mediaType ?? '');
