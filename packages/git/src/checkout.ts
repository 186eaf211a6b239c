import { type GitContext, runGit } from './run.js';

/**
 * Checks out `sha` in the work tree at `dir`, detached: a branch that moved on or was rewritten since
 * does not matter. Local changes that the checkout would overwrite make it fail rather than be lost.
 */
export async function checkoutDetached(dir: string, sha: string, context: GitContext = {}): Promise<void> {
  const args = ['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', sha, '--'];
  await runGit(args, { ...context, cwd: dir });
}
