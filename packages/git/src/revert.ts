import { type CommitRequest, type CommitResult, commitAll } from './commit.js';
import { RevertConflict } from './errors.js';
import { type GitContext, execGit, exitError, runGit } from './run.js';

export interface RevertRequest extends Omit<CommitRequest, 'message'> {
  /** The commit to undo. */
  sha: string;
  /** git's own (`Revert "<subject>"` … `This reverts commit <sha>.`) when absent. */
  message?: string;
  /** For a merge commit: the parent (1 = the branch merged into) whose side is kept. */
  mainline?: number;
}

async function defaultMessage(dir: string, sha: string, context: GitContext): Promise<string> {
  const subject = (await runGit(['log', '-1', '--format=%s', sha], { ...context, cwd: dir })).trim();
  return `Revert "${subject}"\n\nThis reverts commit ${sha}.\n`;
}

async function conflictingPaths(dir: string, context: GitContext): Promise<string[]> {
  const listed = await runGit(['diff', '--name-only', '--diff-filter=U'], { ...context, cwd: dir });
  return listed.split('\n').filter(Boolean);
}

/**
 * Commits the inverse of `sha` on top of HEAD in the work tree at `dir`, as `commitAll` does (identity,
 * trailers, signing): a rollback that keeps history. A commit whose changes are undone already gives
 * `nothing-to-commit`; one that conflicts with later changes throws RevertConflict, leaving the tree as
 * it was.
 */
export async function revertCommit(request: RevertRequest): Promise<CommitResult> {
  const { dir, sha } = request;
  const context = { ...request, cwd: dir };
  const message = request.message ?? (await defaultMessage(dir, sha, request));
  const args = ['revert', '--no-commit', ...(request.mainline ? ['-m', String(request.mainline)] : []), sha];
  const output = await execGit(args, context);
  if (output.exitCode !== 0) {
    const conflicted = await conflictingPaths(dir, request);
    await execGit(['revert', '--abort'], context);
    if (conflicted.length > 0) throw new RevertConflict(sha, conflicted);
    throw exitError(args, output, request);
  }
  try {
    return await commitAll({ ...request, message });
  } finally {
    // After an empty revert git still has one in progress; forgetting it leaves the tree as it is.
    await execGit(['revert', '--quit'], context);
  }
}
