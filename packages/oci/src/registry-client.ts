import type { Logger } from '@gitops/telemetry';
import type { Credentials } from './auth.js';
import { downloadBlob, fetchBlob } from './blob-download.js';
import { type BlobSource, DEFAULT_UPLOAD_TUNING, type UploadTuning, uploadBlob } from './blob-upload.js';
import { drain } from './http-transport.js';
import { HttpTransport } from './http-transport.js';
import {
  type FetchedManifest,
  LINUX_AMD64,
  fetchManifest,
  headManifest,
  putManifest,
  selectPlatform,
} from './manifests.js';
import { isIndexMediaType } from './media-types.js';
import { registryError } from './registry-errors.js';
import { RegistryHttp } from './registry-http.js';
import { DEFAULT_RETRY, type RetryPolicy } from './retry.js';
import { listTags } from './tags-list.js';
import { type Descriptor, type ImageManifest, type Platform, isImageIndex } from './types.js';

export interface RegistryClientOptions {
  /** The registry's base URL with its scheme: `http://127.0.0.1:5000`, `https://registry.example.com`. */
  url: string;
  credentials?: Credentials;
  /** Extra trusted CA certificates (PEM) for an HTTPS registry and its token server. */
  ca?: string | Buffer;
  retry?: Partial<RetryPolicy>;
  /** When uploads switch to PATCH chunks, and the chunk size. */
  upload?: Partial<UploadTuning>;
  logger?: Logger;
}

/** An image manifest, resolved through an index when the reference named one. */
export interface ResolvedManifest extends FetchedManifest {
  manifest: ImageManifest;
  /** The index the manifest was selected from, when the reference named an index. */
  index?: FetchedManifest;
}

/**
 * A client of one registry (OCI distribution spec, as distribution/Harbor/Docker Hub behave): manifests,
 * blobs, authentication, retries. Repositories are paths inside this registry (`acme/hello`).
 */
export class RegistryClient {
  /** @internal the HTTP layer, shared with the upload code. */
  readonly http: RegistryHttp;

  private readonly tuning: UploadTuning;

  constructor(readonly options: RegistryClientOptions) {
    this.tuning = { ...DEFAULT_UPLOAD_TUNING, ...options.upload };
    const transport = new HttpTransport(options.ca ? { ca: options.ca } : {});
    const retry = { ...DEFAULT_RETRY, ...options.retry };
    this.http = new RegistryHttp(new URL(options.url), transport, retry, options.credentials, options.logger);
  }

  /** A manifest or index exactly as stored (no platform selection), with `Accept` for every manifest type. */
  fetchManifest(repository: string, reference: string): Promise<FetchedManifest> {
    return fetchManifest(this.http, repository, reference);
  }

  /**
   * The image manifest a tag or digest names; an index (OCI or Docker list) is followed to the entry for
   * `platform` (default linux/amd64). 404 is a GITOPS_REGISTRY_NOT_FOUND naming the repository.
   */
  async getManifest(
    repository: string,
    reference: string,
    platform: Platform = LINUX_AMD64,
  ): Promise<ResolvedManifest> {
    const fetched = await fetchManifest(this.http, repository, reference);
    if (!isImageIndex(fetched.manifest) && !isIndexMediaType(fetched.mediaType)) {
      return { ...fetched, manifest: fetched.manifest };
    }
    if (!isImageIndex(fetched.manifest))
      throw registryError(502, repository, `manifest ${reference}`, 'index without manifests');
    const entry = selectPlatform(fetched.manifest, platform, repository);
    const image = await fetchManifest(this.http, repository, entry.digest);
    if (isImageIndex(image.manifest))
      throw registryError(502, repository, `manifest ${entry.digest}`, 'nested index');
    return { ...image, manifest: image.manifest, index: fetched };
  }

  /** What a tag or digest points at now (digest, media type, size), or undefined when it does not exist. */
  headManifest(repository: string, reference: string): Promise<Descriptor | undefined> {
    return headManifest(this.http, repository, reference);
  }

  /** Every tag of the repository, through all pages; none for a repository the registry does not know. */
  listTags(repository: string): Promise<string[]> {
    return listTags(this.http, repository);
  }

  /** Stores manifest bytes under a tag (or their digest) with their media type; returns their digest. */
  putManifest(repository: string, reference: string, bytes: Buffer, mediaType: string): Promise<string> {
    return putManifest(this.http, repository, reference, bytes, mediaType);
  }

  /** Whether the repository has the blob (HEAD); what makes re-pushing unchanged layers free. */
  async hasBlob(repository: string, digest: string): Promise<boolean> {
    const what = `HEAD blob ${digest}`;
    const res = await this.http.send({
      method: 'HEAD',
      url: `/v2/${repository}/blobs/${digest}`,
      repository,
      what,
    });
    await drain(res);
    if (res.statusCode === 200) return true;
    if (res.statusCode === 404) return false;
    throw registryError(res.statusCode ?? 0, repository, what);
  }

  /**
   * Makes the repository hold a blob: nothing when it has it (HEAD), a cross-repository mount when one of
   * `mountFrom` (same registry) has it, else an upload streamed from `blob`.
   */
  async pushBlob(
    repository: string,
    blob: BlobSource,
    mountFrom: string[] = [],
  ): Promise<'exists' | 'mounted' | 'uploaded'> {
    const { digest } = blob.descriptor;
    if (await this.hasBlob(repository, digest)) return 'exists';
    const candidates = mountFrom.filter((r) => r !== repository);
    // One candidate is tried by the mount POST itself (a refused mount still opens the upload session);
    // among several, HEADs find the one that has it.
    let from = candidates.length === 1 ? candidates[0] : undefined;
    for (const other of candidates.length > 1 ? candidates : []) {
      if (await this.hasBlob(other, digest)) {
        from = other;
        break;
      }
    }
    return uploadBlob(this.http, repository, blob, this.tuning, from);
  }

  /** A small blob's bytes (an image config, an attestation), checked against its digest. */
  fetchBlob(repository: string, digest: string): Promise<Buffer> {
    return fetchBlob(this.http, repository, digest);
  }

  /** Streams a blob to `file`, checking its digest; the file appears only once complete and verified. */
  downloadBlob(repository: string, digest: string, file: string): Promise<{ digest: string; size: number }> {
    return downloadBlob(this.http, repository, digest, file);
  }

  /** Closes kept-alive connections. */
  close(): void {
    this.http.transport.close();
  }
}
