import { resolveCommit } from './commit-info.js';
import { type GitContext, runGit } from './run.js';

export interface FetchBranchRequest extends GitContext {
  /** The work tree or bare repository to fetch into. */
  dir: string;
  /** A remote's name (`origin`) or URL. */
  remote: string;
  branch: string;
  /** Where the branch's head lands; `refs/remotes/origin/<branch>` by default. */
  into?: string;
  /** Only this many commits of history, as for a shallow clone. */
  depth?: number;
}

/**
 * Fetches `branch` from the remote and resolves with the sha of its current head: what a writer
 * whose push was rejected as non-fast-forward starts again from, what a reconciler deploys. A
 * branch the remote does not have throws a GitError with `failure: 'not-found'`.
 */
export async function fetchBranchHead(request: FetchBranchRequest): Promise<string> {
  const { dir, branch } = request;
  const into = request.into ?? `refs/remotes/origin/${branch}`;
  const args = ['fetch', '--quiet', '--no-tags', '--no-write-fetch-head'];
  if (request.depth) args.push(`--depth=${request.depth}`);
  await runGit([...args, '--', request.remote, `+refs/heads/${branch}:${into}`], { ...request, cwd: dir });
  return resolveCommit(dir, into, request);
}
