import { readFile, stat } from 'node:fs/promises';
import { resolveInside } from '@gitops/fs';
import { ImageErrorCodes, imageErrors } from './errors.js';

/**
 * The Dockerfile's absolute real path, refused (GITOPS_BUILD_CONTEXT_ESCAPE) when it, or a symlink on
 * its way, lies outside the context; GITOPS_BUILD_DOCKERFILE_MISSING when there is none.
 */
export async function dockerfilePath(contextDir: string, dockerfile: string): Promise<string> {
  const options = { what: 'Dockerfile', within: 'the build context', code: ImageErrorCodes.contextEscape };
  const path = await resolveInside(contextDir, dockerfile, options);
  const isFile = await stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!isFile) throw imageErrors.dockerfileMissing(dockerfile);
  return path;
}

export async function readDockerfile(contextDir: string, dockerfile: string): Promise<string> {
  return readFile(await dockerfilePath(contextDir, dockerfile), 'utf8');
}
