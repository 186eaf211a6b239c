import { createHash, randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

export interface HashingCopyOptions {
  /** Where the temp file goes: the target's directory, so the final rename is atomic. */
  tempDir: string;
  /** The final path, once the digest is known. */
  target: (digest: string) => string;
  /** Sees digest and size before the rename; throws to discard the copy. */
  accept?: (digest: string, size: number) => void;
}

/**
 * Streams `source` to a file through a sha256, writing a temp file first and renaming it, so a crash or a
 * failed check never leaves a partial file under the final name.
 */
export async function hashingCopy(
  source: Readable,
  options: HashingCopyOptions,
): Promise<{ digest: string; size: number; path: string }> {
  const temp = join(options.tempDir, `.tmp-${randomUUID()}`);
  const hash = createHash('sha256');
  let size = 0;
  const tap = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      done(null, chunk);
    },
  });
  try {
    await pipeline(source, tap, createWriteStream(temp));
    const digest = `sha256:${hash.digest('hex')}`;
    options.accept?.(digest, size);
    const path = options.target(digest);
    await rename(temp, path);
    return { digest, size, path };
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
