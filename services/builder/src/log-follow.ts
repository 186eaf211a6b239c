import { type FileHandle, open } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';

export interface FollowOptions {
  /** Whether the writer is done. Asked before each read to the end, so what it wrote before it ended is read. */
  ended(): Promise<boolean>;
  /** How long to wait for more bytes before looking again. */
  pollMs: number;
  /** Stops following at once (the reader left, or its time is up). */
  signal: AbortSignal;
}

/** How a follow ended: the writer was done and everything was read, or `signal` stopped it. */
export type FollowEnd = 'ended' | 'stopped';

const CHUNK_BYTES = 64 * 1024;

/**
 * Yields a file's bytes from the start and then as they are appended, until `ended()` says the
 * writer is done. It polls rather than watching: fs.watch misses writes made by another host on a
 * shared volume, and the builder's replicas share GITOPS_DATA_DIR.
 */
export async function* followFile(path: string, options: FollowOptions): AsyncGenerator<Buffer, FollowEnd> {
  const file = await open(path, 'r');
  try {
    let position = 0;
    while (!options.signal.aborted) {
      const ended = await options.ended();
      for await (const chunk of readToEnd(file, position)) {
        position += chunk.length;
        yield chunk;
      }
      if (ended) return 'ended';
      await sleep(options.pollMs, undefined, { signal: options.signal }).catch(() => undefined);
    }
    return 'stopped';
  } finally {
    await file.close();
  }
}

async function* readToEnd(file: FileHandle, from: number): AsyncGenerator<Buffer> {
  let position = from;
  for (;;) {
    // A fresh buffer per read: the consumer may still hold the previous chunk.
    const { bytesRead, buffer } = await file.read(Buffer.alloc(CHUNK_BYTES), 0, CHUNK_BYTES, position);
    if (bytesRead === 0) return;
    position += bytesRead;
    yield buffer.subarray(0, bytesRead);
  }
}
