import { type Hash, createHash } from 'node:crypto';
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { posix } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { type Descriptor, MediaTypes, type OciLayoutWriter } from '@gitops/oci';
import { TAR_END, encodeHeader, padding } from './tar-header.js';

/** A file, directory or symlink to put in a layer. */
export interface LayerEntry {
  /** The path in the image: no leading or trailing slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Files: 0755 when set, else 0644. Directories are always 0755, symlinks 0777. */
  executable?: boolean;
  /** Files: where the content is read from, and its size as walked. */
  source?: string;
  size?: number;
  /** Symlinks: the target. */
  linkname?: string;
}

export interface WrittenLayer {
  descriptor: Descriptor;
  /** sha256 of the uncompressed tar: the image config's rootfs.diff_ids entry. */
  diffId: string;
}

/**
 * A fixed level, so the same tar always compresses to the same bytes (with the same zlib: Node's bundled
 * one). Node writes the gzip header with mtime 0 and no file name, so nothing else varies.
 */
export const GZIP_LEVEL = 6;

/** The entries with their missing parent directories added (0755, like Docker's), sorted by path. */
export function completeEntries(entries: Iterable<LayerEntry>): LayerEntry[] {
  const byPath = new Map<string, LayerEntry>();
  for (const entry of entries) {
    byPath.set(entry.path, entry);
    for (let dir = posix.dirname(entry.path); dir !== '.' && dir !== '/'; dir = posix.dirname(dir)) {
      if (!byPath.has(dir)) byPath.set(dir, { path: dir, type: 'dir' });
    }
  }
  // Comparing with '/' as the lowest character keeps every directory right before its contents.
  const key = (path: string) => path.replaceAll('/', '\u0000');
  return [...byPath.values()].sort((a, b) => (key(a.path) < key(b.path) ? -1 : 1));
}

/**
 * Writes the entries as a reproducible gzipped tar layer into the layout: sorted, parents included,
 * uid/gid 0, `mtime` on every entry, modes reduced to 0755/0644. Stops when `signal` aborts.
 */
export async function writeLayer(
  layout: OciLayoutWriter,
  entries: Iterable<LayerEntry>,
  options: { mtime: number; signal?: AbortSignal },
): Promise<WrittenLayer> {
  const diffHash = createHash('sha256');
  const tar = Readable.from(tarChunks(completeEntries(entries), options.mtime, diffHash, options.signal));
  const gzip = createGzip({ level: GZIP_LEVEL });
  // Both settle before returning, so a failed layer's temp file is gone when the caller looks.
  const [compressed, stored] = await Promise.allSettled([
    pipeline(tar, gzip, options.signal ? { signal: options.signal } : {}),
    layout.addBlobFromStream(gzip, MediaTypes.ociLayerGzip),
  ]);
  if (compressed.status === 'rejected') throw compressed.reason;
  if (stored.status === 'rejected') throw stored.reason;
  const descriptor = stored.value;
  return { descriptor, diffId: `sha256:${diffHash.digest('hex')}` };
}

async function* tarChunks(entries: LayerEntry[], mtime: number, hash: Hash, signal?: AbortSignal) {
  const emit = (chunk: Buffer) => {
    hash.update(chunk);
    return chunk;
  };
  for (const entry of entries) {
    signal?.throwIfAborted();
    const { path, type, size = 0 } = entry;
    const mode = type === 'dir' ? 0o755 : type === 'symlink' ? 0o777 : entry.executable ? 0o755 : 0o644;
    const name = type === 'dir' ? `${path}/` : path;
    const header = {
      name,
      type,
      mode,
      size: type === 'file' ? size : 0,
      mtime,
      linkname: entry.linkname ?? '',
    };
    yield emit(encodeHeader(header));
    if (type !== 'file' || !entry.source) continue;
    let read = 0;
    // O_NOFOLLOW: a file swapped for a symlink since the walk checked it is not followed out of the context.
    const file = await open(entry.source, constants.O_RDONLY | constants.O_NOFOLLOW);
    for await (const chunk of file.createReadStream({ highWaterMark: 1 << 20 })) {
      read += (chunk as Buffer).length;
      if (read > size) break;
      yield emit(chunk as Buffer);
    }
    if (read !== size) throw new Error(`${entry.source} changed size while the layer was written`);
    yield emit(padding(size));
  }
  yield emit(TAR_END);
}
