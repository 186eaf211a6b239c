import type { Dirent } from 'node:fs';
import { lstat, readFile, readdir, readlink, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { isAppError } from '@gitops/errors';
import { resolveInside } from '@gitops/fs';
import { ImageErrorCodes, imageErrors } from '../errors.js';
import { type IgnoreMatcher, parseDockerignore } from './dockerignore.js';

/** A file, directory or symlink of the build context that `.dockerignore` keeps. */
export interface ContextEntry {
  /** Relative to the context root, `/`-separated, no leading slash. */
  path: string;
  type: 'file' | 'dir' | 'symlink';
  /** Bytes, for files. */
  size: number;
  /** Any executable bit set, for files: the only mode bit an image layer keeps. */
  executable: boolean;
  /** For symlinks: the target as written (it is checked to stay inside the context). */
  target?: string;
}

export interface BuildContext {
  /** The context directory, symlinks resolved. */
  dir: string;
  /** Entries by path, in sorted order. */
  entries: Map<string, ContextEntry>;
  /** Total bytes of its files. */
  size: number;
}

export interface ReadContextOptions {
  /** The Dockerfile relative to the context: `<Dockerfile>.dockerignore` wins over `.dockerignore`. */
  dockerfile: string;
  maxBytes: number;
  signal?: AbortSignal;
}

export const DEFAULT_CONTEXT_MAX_BYTES = 500 * 1024 * 1024;

/**
 * Walks the build context once, honouring `.dockerignore`. Refuses (GITOPS_BUILD_CONTEXT_SYMLINK) a
 * symlink that resolves outside the context, and (GITOPS_BUILD_CONTEXT_TOO_LARGE) a context whose files
 * add up to more than `maxBytes`. Sockets, FIFOs and devices are left out.
 */
export async function readContext(contextDir: string, options: ReadContextOptions): Promise<BuildContext> {
  const dir = await realpath(contextDir);
  const ignore = await loadIgnore(dir, options.dockerfile);
  const found: ContextEntry[] = [];
  let size = 0;
  const visit = async (relDir: string): Promise<void> => {
    options.signal?.throwIfAborted();
    const dirents = await readdir(join(dir, relDir), { withFileTypes: true });
    const entries = await Promise.all(dirents.map((d) => toEntry(dir, relDir, d, ignore)));
    for (const entry of entries) {
      if (!entry) continue;
      const { excluded, ...kept } = entry;
      if (!excluded) found.push(kept);
      size += entry.size;
      if (size > options.maxBytes) throw imageErrors.contextTooLarge(options.maxBytes);
    }
    const subdirs = entries.filter((e) => e?.type === 'dir' && (!e.excluded || ignore.hasExceptions));
    for (const sub of subdirs) await visit(sub?.path ?? '');
  };
  await visit('');
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { dir, entries: new Map(found.map((e) => [e.path, e])), size };
}

const CONTEXT = { within: 'the build context', code: ImageErrorCodes.contextEscape };

async function loadIgnore(dir: string, dockerfile: string): Promise<IgnoreMatcher> {
  for (const name of [`${dockerfile}.dockerignore`, '.dockerignore']) {
    const path = await resolveInside(dir, name, { what: 'ignore file', ...CONTEXT });
    const text = await readFile(path, 'utf8').catch(() => undefined);
    if (text !== undefined) return parseDockerignore(text);
  }
  return parseDockerignore('');
}

/** Refuses (GITOPS_BUILD_CONTEXT_SYMLINK) a symlink whose target, existing or not, is outside the context. */
async function checkSymlink(root: string, path: string, target: string): Promise<void> {
  await resolveInside(root, path, { what: 'symlink', ...CONTEXT }).catch((err) => {
    throw isAppError(err) && err.code === CONTEXT.code ? imageErrors.contextSymlink(path, target) : err;
  });
}

async function toEntry(
  root: string,
  relDir: string,
  dirent: Dirent,
  ignore: IgnoreMatcher,
): Promise<(ContextEntry & { excluded: boolean }) | undefined> {
  const path = relDir === '' ? dirent.name : `${relDir}/${dirent.name}`;
  const excluded = ignore.excludes(path);
  const absolute = join(root, path);
  if (dirent.isDirectory()) return { path, type: 'dir', size: 0, executable: true, excluded };
  if (excluded && !ignore.hasExceptions) return undefined;
  if (dirent.isSymbolicLink()) {
    const target = await readlink(absolute);
    if (!excluded) await checkSymlink(root, path, target);
    return { path, type: 'symlink', size: 0, executable: false, target, excluded };
  }
  if (!dirent.isFile()) return undefined;
  const stats = await lstat(absolute);
  return {
    path,
    type: 'file',
    size: excluded ? 0 : stats.size,
    executable: (stats.mode & 0o111) !== 0,
    excluded,
  };
}
