import { type GitContext, runGit } from './run.js';

export interface CloneRequest extends GitContext {
  /** A URL, or the path of a local repository (a mirror). */
  source: string;
  /** Where the clone goes; must not exist or be empty. */
  dir: string;
  /** The branch to clone and check out; the remote's default branch without it. */
  branch?: string;
  /** Only this many commits of history (and only `branch`). */
  depth?: number;
  /** For a local source: borrow its objects instead of copying them (`--shared`); it must outlive the clone. */
  shared?: boolean;
  /** Leave the work tree empty, for a `checkoutDetached` to follow. */
  noCheckout?: boolean;
}

/** Clones `source` into `dir`, with `origin` naming the source. */
export async function clone(request: CloneRequest): Promise<void> {
  const args = ['clone', '--quiet', '--no-tags'];
  if (request.branch) args.push('--branch', request.branch, '--single-branch');
  if (request.depth) args.push(`--depth=${request.depth}`);
  if (request.shared) args.push('--shared');
  if (request.noCheckout) args.push('--no-checkout');
  await runGit([...args, '--', request.source, request.dir], request);
}
