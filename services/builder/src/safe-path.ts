import { access, readFile } from 'node:fs/promises';
import { isAppError } from '@gitops/errors';
import { FsErrorCodes, resolveInside } from '@gitops/fs';
import { BuildFailure } from './errors.js';

/** Nothing there, or a file where the path needs a directory (`package.json/x`). */
const isMissing = (err: unknown) => ['ENOENT', 'ENOTDIR'].includes((err as NodeJS.ErrnoException).code ?? '');

/**
 * The real path of `path` inside the checkout `root` (@gitops/fs `resolveInside`), or undefined
 * when nothing is there. A path the repository names that leaves it fails the build as
 * `invalid-config`: the repository is wrong, and building it again changes nothing.
 */
export async function pathInside(root: string, path: string, what: string): Promise<string | undefined> {
  const real = await resolveInside(root, path, { what, within: 'the repository' }).catch((err) => {
    throw isAppError(err) && err.code === FsErrorCodes.outsideRoot
      ? new BuildFailure(err.message, 'invalid-config')
      : err;
  });
  return access(real).then(
    () => real,
    (err) => {
      if (isMissing(err)) return undefined;
      throw err;
    },
  );
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
