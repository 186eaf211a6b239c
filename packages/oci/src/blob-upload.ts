import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { sha256Digest } from './digest.js';
import { readBody } from './http-transport.js';
import { registryError } from './registry-errors.js';
import type { RegistryHttp } from './registry-http.js';
import { TransientError, withRetries } from './retry.js';
import type { Descriptor } from './types.js';
import { type UploadSession, afterChunk, openUpload, uploadStatus } from './upload-session.js';

export interface UploadTuning {
  /** Blobs above this many bytes go up in PATCH chunks (resumable); smaller ones in one PUT. */
  chunkThreshold: number;
  chunkSize: number;
}

/** 32 MiB: layers above it are resumable chunk by chunk; below it one PUT saves the round trips. */
export const DEFAULT_UPLOAD_TUNING: UploadTuning = { chunkThreshold: 32 << 20, chunkSize: 16 << 20 };

/** A blob to upload: its descriptor and a way to read any byte range of it again (for retries and resumes). */
export interface BlobSource {
  descriptor: Descriptor;
  /** Bytes `start` to `end`, both included. */
  read(start: number, end: number): Readable;
}

/** A blob in a file, read range by range from disk: never whole in memory. */
export const blobFromFile = (descriptor: Descriptor, path: string): BlobSource => ({
  descriptor,
  read: (start, end) => createReadStream(path, { start, end, highWaterMark: 1 << 20 }),
});

/** A small blob already in memory (a config, an attestation). */
export const blobFromBytes = (bytes: Buffer, mediaType: string): BlobSource => ({
  descriptor: { mediaType, digest: sha256Digest(bytes), size: bytes.length },
  read: (start, end) => Readable.from([bytes.subarray(start, end + 1)]),
});

const open = (blob: BlobSource, start: number, end: number) => () => blob.read(start, end);

const octets = (length: number) => ({
  'content-type': 'application/octet-stream',
  'content-length': String(length),
});

/** The session's bytes are wrong (a misread offset): retry with a new session. */
class RestartUpload extends TransientError {}

/** The final PUT: `?digest=` closes the session, with the rest of the blob as its body (or nothing). */
async function closeUpload(http: RegistryHttp, repository: string, session: UploadSession, blob: BlobSource) {
  const { digest, size } = blob.descriptor;
  const url = new URL(session.location);
  url.searchParams.set('digest', digest);
  const rest = size - session.offset;
  const what = `PUT blob ${digest}`;
  const res = await http.sendOnce({
    method: 'PUT',
    url,
    repository,
    what,
    headers: octets(rest),
    ...(rest > 0 ? { body: open(blob, session.offset, size - 1) } : {}),
  });
  const body = await readBody(res);
  if (res.statusCode === 201) return;
  // A wrong resume offset shows here as a digest the registry computed differently: start over.
  if (res.statusCode === 400 && /DIGEST_INVALID|SIZE_INVALID/.test(body.toString())) {
    throw new RestartUpload(`registry refused the assembled blob ${digest}; uploading it again`);
  }
  throw registryError(res.statusCode ?? 0, repository, what, body);
}

/**
 * PATCHes the rest of the blob chunk by chunk, each from the offset the registry reported. Updates `session`
 * in place, so after a broken chunk the caller asks about the latest session URL, not the first.
 */
async function sendChunks(
  http: RegistryHttp,
  repository: string,
  session: UploadSession,
  blob: BlobSource,
  chunkSize: number,
) {
  const size = blob.descriptor.size;
  while (session.offset < size) {
    const end = Math.min(size, session.offset + chunkSize) - 1;
    const what = `PATCH blob ${blob.descriptor.digest} bytes ${session.offset}-${end}`;
    const headers = { ...octets(end - session.offset + 1), 'content-range': `${session.offset}-${end}` };
    const res = await http.sendOnce({
      method: 'PATCH',
      url: session.location,
      repository,
      what,
      headers,
      body: open(blob, session.offset, end),
    });
    Object.assign(session, await afterChunk(http, res, repository, what));
  }
}

/**
 * Uploads a blob the repository lacks, streamed from its file: POST then PUT when small, PATCH chunks then
 * PUT when large. After a broken connection a chunked upload resumes from the offset the registry reports
 * (GET on the session); a lost session (a registry restarted) or a whole-blob PUT starts over.
 */
export async function uploadBlob(
  http: RegistryHttp,
  repository: string,
  blob: BlobSource,
  tuning: UploadTuning,
  mountFrom?: string,
): Promise<'uploaded' | 'mounted'> {
  const chunked = blob.descriptor.size > tuning.chunkThreshold;
  let session: UploadSession | undefined;
  let mount = mountFrom ? { digest: blob.descriptor.digest, from: mountFrom } : undefined;
  const what = `upload blob ${blob.descriptor.digest}`;
  return withRetries(
    http.retry,
    what,
    async () => {
      session = session && chunked ? await uploadStatus(http, repository, session) : undefined;
      if (!session) {
        const opened = await openUpload(http, repository, mount);
        if (opened === 'mounted') return 'mounted';
        mount = undefined;
        session = opened;
      }
      if (chunked) await sendChunks(http, repository, session, blob, tuning.chunkSize);
      await closeUpload(http, repository, session, blob).catch((err: unknown) => {
        if (err instanceof RestartUpload) session = undefined;
        throw err;
      });
      return 'uploaded' as const;
    },
    http.logRetry({ method: 'PUT', url: '', repository, what }),
  );
}
