import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { AppError } from '@gitops/errors';
import { FsErrorCodes, SymlinkLoop } from './errors.js';
import { pathProblem } from './path-problem.js';
import { realPath } from './real-path.js';

export interface InsideOptions {
  /** What the path is, for the message: `Dockerfile`, `workdir of step test`, `image layout`. */
  what: string;
  /** The root as the message names it: `the repository`, `GITOPS_DATA_DIR`; default the root's path. */
  within?: string;
  /** The AppError's code; default GITOPS_FS_PATH_OUTSIDE_ROOT. */
  code?: string;
  /** The AppError's HTTP status; default 422. */
  statusCode?: number;
  /** Whether the root itself (`.`) is an answer; default true. */
  allowRoot?: boolean;
}

const contains = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/**
 * The absolute real path of `path` inside `root`, symlinks of every existing component resolved
 * (a path that does not exist yet is checked too, through a dangling symlink as well). Refuses with
 * an AppError naming the path, what it is and the root: an absolute path, a `..` segment, a NUL
 * byte, and a path that resolves outside the root through a symlink, its parents' included.
 */
export async function resolveInside(root: string, path: string, options: InsideOptions): Promise<string> {
  const within = options.within ?? JSON.stringify(root);
  const refuse = (problem: string) =>
    new AppError(
      options.code ?? FsErrorCodes.outsideRoot,
      `${options.what} ${JSON.stringify(path)} ${problem}`,
      {
        statusCode: options.statusCode ?? 422,
      },
    );
  const problem = pathProblem(path, within);
  if (problem) throw refuse(problem);
  const resolving = async () => {
    const realRoot = await realPath(resolve(root));
    const real = await realPath(join(realRoot, path));
    if (!contains(realRoot, real)) {
      const link = await escapingLink(realRoot, path);
      const at = link === path ? '' : ` at ${JSON.stringify(link)}`;
      throw refuse(`resolves outside ${within} through a symlink${at}`);
    }
    if (real === realRoot && options.allowRoot === false) throw refuse(`is ${within} itself`);
    return real;
  };
  return resolving().catch((err) => {
    throw err instanceof SymlinkLoop ? refuse('goes through a symlink loop') : err;
  });
}

/** The shortest prefix of `path` that resolves outside: the symlink to name in the error. */
async function escapingLink(realRoot: string, path: string): Promise<string> {
  const parts = path.split('/');
  for (let i = 1; i < parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    if (!contains(realRoot, await realPath(join(realRoot, prefix)))) return prefix;
  }
  return path;
}
