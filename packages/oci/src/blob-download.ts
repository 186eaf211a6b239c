import { mkdir } from 'node:fs/promises';
import type { IncomingMessage } from 'node:http';
import { dirname } from 'node:path';
import { digestMismatch, sha256Digest } from './digest.js';
import { hashingCopy } from './hashing-copy.js';
import { drain, header, readBody } from './http-transport.js';
import { registryError } from './registry-errors.js';
import type { RegistryHttp } from './registry-http.js';
import { TransientError, withRetries } from './retry.js';

const REDIRECTS = new Set([301, 302, 303, 307, 308]);

/** GET a blob, following a redirect to blob storage (S3, a CDN) without the registry's credentials. */
async function openBlob(http: RegistryHttp, repository: string, digest: string): Promise<IncomingMessage> {
  const what = `GET blob ${digest}`;
  const res = await http.sendOnce({
    method: 'GET',
    url: `/v2/${repository}/blobs/${digest}`,
    repository,
    what,
  });
  const location = header(res, 'location');
  if (!REDIRECTS.has(res.statusCode ?? 0) || !location) return res;
  await drain(res);
  const redirected = await http.transport.send({ method: 'GET', url: http.url(location) });
  const status = redirected.statusCode ?? 0;
  if (status === 429 || status >= 500) {
    await drain(redirected);
    throw new TransientError(`blob storage answered ${status}`);
  }
  return redirected;
}

/** A small blob's bytes (a config, an attestation), checked against its digest; `limit` guards memory. */
export function fetchBlob(
  http: RegistryHttp,
  repository: string,
  digest: string,
  limit = 16 << 20,
): Promise<Buffer> {
  const what = `GET blob ${digest}`;
  return withRetries(http.retry, `${what} (${repository})`, async () => {
    const res = await openBlob(http, repository, digest);
    const bytes = await readBody(res, limit);
    if (res.statusCode !== 200) throw registryError(res.statusCode ?? 0, repository, what, bytes);
    const actual = sha256Digest(bytes);
    if (actual !== digest)
      throw new TransientError(digestMismatch(`blob ${repository}@${digest}`, digest, actual).message);
    return bytes;
  });
}

/**
 * Streams a blob to `file` (via a temp file beside it), verifying its digest before the rename; a broken
 * transfer or a corrupt one (a proxy that mangled it) is retried from the start.
 */
export function downloadBlob(
  http: RegistryHttp,
  repository: string,
  digest: string,
  file: string,
): Promise<{ digest: string; size: number }> {
  const what = `GET blob ${digest}`;
  return withRetries(
    http.retry,
    `${what} (${repository})`,
    async () => {
      await mkdir(dirname(file), { recursive: true });
      const res = await openBlob(http, repository, digest);
      if (res.statusCode !== 200)
        throw registryError(res.statusCode ?? 0, repository, what, await readBody(res));
      const copied = await hashingCopy(res, {
        tempDir: dirname(file),
        target: () => file,
        accept: (actual) => {
          if (actual !== digest)
            throw new TransientError(digestMismatch(`blob ${repository}@${digest}`, digest, actual).message);
        },
      });
      return { digest: copied.digest, size: copied.size };
    },
    http.logRetry({ method: 'GET', url: '', repository, what }),
  );
}
