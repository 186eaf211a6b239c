import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { AppError } from '@gitops/errors';

const DIGEST = /^sha256:([0-9a-f]{64})$/;

/** `sha256:<hex>` of bytes or a string (UTF-8). */
export const sha256Digest = (data: Buffer | Uint8Array | string): string =>
  `sha256:${createHash('sha256').update(data).digest('hex')}`;

/** The hex part of a sha256 digest; refuses anything else, since digests become file and URL paths. */
export function digestHex(digest: string): string {
  const hex = DIGEST.exec(digest)?.[1];
  if (!hex) throw new AppError('GITOPS_OCI_BAD_DIGEST', `not a sha256 digest: ${JSON.stringify(digest)}`);
  return hex;
}

export const isDigest = (value: string): boolean => DIGEST.test(value);

/** Digest and size of a file, read as a stream (never whole in memory). */
export async function digestFile(path: string): Promise<{ digest: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 })) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { digest: `sha256:${hash.digest('hex')}`, size };
}

export function digestMismatch(what: string, expected: string, actual: string): AppError {
  return new AppError('GITOPS_OCI_DIGEST_MISMATCH', `${what}: expected ${expected}, got ${actual}`, {
    retryable: true,
  });
}
