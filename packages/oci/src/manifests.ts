import { AppError } from '@gitops/errors';
import { digestMismatch, isDigest, sha256Digest } from './digest.js';
import { drain, header, readBody } from './http-transport.js';
import { MANIFEST_ACCEPT } from './media-types.js';
import { registryError } from './registry-errors.js';
import type { RegistryHttp } from './registry-http.js';
import type { Descriptor, ImageIndex, ImageManifest, Platform } from './types.js';

/** A manifest GET or HEAD, always with the Accept header (the Debian registry answers 404 without one). */
const sendManifestRequest = (
  http: RegistryHttp,
  method: 'GET' | 'HEAD',
  repository: string,
  reference: string,
) =>
  http.send({
    method,
    url: manifestPath(repository, reference),
    repository,
    what: `${method} manifest ${reference}`,
    headers: { accept: MANIFEST_ACCEPT },
  });

/** A manifest or index as the registry served it: its exact bytes, their digest and media type. */
export interface FetchedManifest {
  digest: string;
  mediaType: string;
  bytes: Buffer;
  manifest: ImageManifest | ImageIndex;
}

export const LINUX_AMD64: Platform = { os: 'linux', architecture: 'amd64' };

const manifestPath = (repository: string, reference: string) => `/v2/${repository}/manifests/${reference}`;

export async function fetchManifest(
  http: RegistryHttp,
  repository: string,
  reference: string,
): Promise<FetchedManifest> {
  const what = `GET manifest ${reference}`;
  const res = await sendManifestRequest(http, 'GET', repository, reference);
  const bytes = await readBody(res);
  if (res.statusCode !== 200) throw registryError(res.statusCode ?? 0, repository, what, bytes);
  const digest = sha256Digest(bytes);
  if (isDigest(reference) && digest !== reference)
    throw digestMismatch(`manifest ${repository}@${reference}`, reference, digest);
  const manifest = JSON.parse(bytes.toString('utf8')) as ImageManifest | ImageIndex;
  const mediaType = manifest.mediaType ?? header(res, 'content-type') ?? '';
  return { digest, mediaType, bytes, manifest };
}

/** The digest a tag or digest currently names, or undefined when the registry has no such manifest. */
export async function headManifest(
  http: RegistryHttp,
  repository: string,
  reference: string,
): Promise<Descriptor | undefined> {
  const what = `HEAD manifest ${reference}`;
  const res = await sendManifestRequest(http, 'HEAD', repository, reference);
  await drain(res);
  if (res.statusCode === 404) return undefined;
  if (res.statusCode !== 200) throw registryError(res.statusCode ?? 0, repository, what);
  const digest = header(res, 'docker-content-digest');
  if (!digest || !isDigest(digest))
    throw registryError(502, repository, what, 'no Docker-Content-Digest header');
  return {
    digest,
    mediaType: header(res, 'content-type') ?? '',
    size: Number(header(res, 'content-length') ?? 0),
  };
}

/** PUTs manifest bytes under a tag or their digest with their media type; returns the digest. */
export async function putManifest(
  http: RegistryHttp,
  repository: string,
  reference: string,
  bytes: Buffer,
  mediaType: string,
): Promise<string> {
  const what = `PUT manifest ${reference}`;
  const headers = { 'content-type': mediaType, 'content-length': String(bytes.length) };
  const res = await http.send({
    method: 'PUT',
    url: manifestPath(repository, reference),
    repository,
    what,
    headers,
    body: bytes,
  });
  const body = await readBody(res);
  if (res.statusCode !== 201) throw registryError(res.statusCode ?? 0, repository, what, body);
  const digest = sha256Digest(bytes);
  const stored = header(res, 'docker-content-digest');
  if (stored && stored !== digest)
    throw digestMismatch(`manifest ${repository}:${reference}`, digest, stored);
  return digest;
}

/** The index entry for a platform (variant ignored unless asked for), as `docker pull` chooses. */
export function selectPlatform(index: ImageIndex, platform: Platform, repository: string): Descriptor {
  const found = index.manifests.find(
    (d) =>
      d.platform?.os === platform.os &&
      d.platform.architecture === platform.architecture &&
      (platform.variant === undefined || d.platform.variant === platform.variant),
  );
  if (found) return found;
  const offered = index.manifests.map((d) => `${d.platform?.os}/${d.platform?.architecture}`).join(', ');
  throw new AppError(
    'GITOPS_REGISTRY_NO_PLATFORM',
    `${repository}: no ${platform.os}/${platform.architecture} image in the index (has ${offered || 'none'})`,
    { statusCode: 404 },
  );
}
