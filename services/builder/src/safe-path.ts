import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, join, sep } from 'node:path';
import { BuildFailure } from './errors.js';

/** A path a repository may name: relative, with no `..` segment. Lexical only; see `pathInside`. */
export function isRelativeInside(path: string): boolean {
  return path !== '' && !isAbsolute(path) && !path.split(/[\\/]/).includes('..');
}

const escaping = (what: string, path: string, how: string) =>
  new BuildFailure(`${what} "${path}" ${how}`, 'invalid-config');

/**
 * The real path of `path` inside `root`, or undefined when nothing is there. Symlinks are
 * followed before the check, so a link to /etc or to `../..` is refused like a `..` is.
 */
export async function pathInside(root: string, path: string, what: string): Promise<string | undefined> {
  if (!isRelativeInside(path)) throw escaping(what, path, 'must be a relative path inside the repository');
  const realRoot = await realpath(root);
  let real: string;
  try {
    real = await realpath(join(realRoot, path));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  if (real !== realRoot && !real.startsWith(realRoot + sep)) {
    throw escaping(what, path, 'resolves outside the repository through a symlink');
  }
  return real;
}

/** `pathInside` for a path that must exist. */
export async function requirePathInside(root: string, path: string, what: string): Promise<string> {
  const real = await pathInside(root, path, what);
  if (!real) throw new BuildFailure(`${what} "${path}" does not exist`, 'invalid-config');
  return real;
}

/** The text of a repository file, or undefined when it does not exist. */
export async function readRepoFile(root: string, path: string, what: string): Promise<string | undefined> {
  const real = await pathInside(root, path, what);
  return real === undefined ? undefined : readFile(real, 'utf8');
}
