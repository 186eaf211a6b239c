import { posix } from 'node:path';

/**
 * Why `path` cannot name something inside a root, read lexically (no file system): undefined when
 * it can, else the end of a sentence about it, naming the root as `within` ("the build context").
 * A `..` segment is refused even when it comes back down (`a/../b`): after a symlink, `..` climbs
 * from the link's target, not from where the path text says, so cleaning the text would be wrong.
 */
export function pathProblem(path: string, within: string): string | undefined {
  if (path === '') return `is empty: it must name a path inside ${within}`;
  if (path.includes('\0')) return 'contains a NUL byte';
  if (posix.isAbsolute(path)) return `must be a relative path inside ${within}`;
  if (!path.split('/').includes('..')) return undefined;
  const cleaned = posix.normalize(path);
  return cleaned === '..' || cleaned.startsWith('../')
    ? `leaves ${within}`
    : `has a ".." segment: a path inside ${within} may only go down`;
}
