import { readlink, realpath } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { SymlinkLoop } from './errors.js';

/** What Linux follows before ELOOP. */
const MAX_SYMLINKS = 40;

const errorCode = (err: unknown) => (err as NodeJS.ErrnoException).code;
/** Nothing there, or a file where a directory should be: the rest of the path does not exist. */
const isMissing = (err: unknown) => errorCode(err) === 'ENOENT' || errorCode(err) === 'ENOTDIR';

/**
 * The absolute path with every symlink of its existing part resolved; the part that does not exist
 * yet is appended as written. A dangling symlink is followed too: writing through it would create
 * its target.
 */
export async function realPath(absolute: string): Promise<string> {
  try {
    return await realpath(absolute);
  } catch (err) {
    if (!isMissing(err) && errorCode(err) !== 'ELOOP') throw err;
  }
  return resolveComponents(absolute);
}

/** The target of `path` when it is a symlink, null when it is something else, undefined when nothing. */
async function linkAt(path: string): Promise<string | null | undefined> {
  try {
    return await readlink(path);
  } catch (err) {
    if (errorCode(err) === 'EINVAL') return null;
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** `realpath -m`: one component at a time, so a symlink whose target is missing is still followed. */
async function resolveComponents(absolute: string): Promise<string> {
  const pending = absolute.split('/').reverse();
  let current = '/';
  let missing = false;
  let links = 0;
  while (pending.length > 0) {
    const part = pending.pop() as string;
    if (part === '' || part === '.') continue;
    // `current` is real (no symlink in it), so its parent is where `..` physically leads.
    if (part === '..') {
      current = dirname(current);
      continue;
    }
    const next = join(current, part);
    const target = missing ? undefined : await linkAt(next);
    if (typeof target === 'string') {
      if (++links > MAX_SYMLINKS)
        throw new SymlinkLoop(`${absolute} goes through more than ${MAX_SYMLINKS} symlinks`);
      pending.push(...target.split('/').reverse());
      if (isAbsolute(target)) current = '/';
      continue;
    }
    if (target === undefined) missing = true;
    current = next;
  }
  return current;
}
