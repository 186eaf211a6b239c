import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import { imageErrors } from './errors.js';

/** Whether `path` is `root` or below it (both absolute, symlinks resolved). */
export function isInside(root: string, path: string): boolean {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
}

/**
 * The Dockerfile's absolute path, refused (GITOPS_BUILD_CONTEXT_ESCAPE) when it, or the symlink it is,
 * lies outside the context; GITOPS_BUILD_DOCKERFILE_MISSING when there is none.
 */
export async function dockerfilePath(contextDir: string, dockerfile: string): Promise<string> {
  const root = await realpath(contextDir);
  const path = resolve(root, dockerfile);
  if (!isInside(root, path)) throw imageErrors.contextEscape('Dockerfile', dockerfile);
  const real = await realpath(path).catch(() => {
    throw imageErrors.dockerfileMissing(dockerfile);
  });
  if (!isInside(root, real)) throw imageErrors.contextEscape('Dockerfile', dockerfile);
  return real;
}

export async function readDockerfile(contextDir: string, dockerfile: string): Promise<string> {
  return readFile(await dockerfilePath(contextDir, dockerfile), 'utf8');
}
