import { type GitContext, runGit } from './run.js';

/** The sha of the commit `rev` (a branch, `HEAD`, `HEAD~1`, a sha) names in the repository at `dir`. */
export async function resolveCommit(dir: string, rev: string, context: GitContext = {}): Promise<string> {
  const args = ['rev-parse', '--verify', '--end-of-options', `${rev}^{commit}`];
  return (await runGit(args, { ...context, cwd: dir })).trim();
}

/** The committer time of `rev`, which a reproducible image takes as its creation time. */
export async function commitTime(dir: string, rev: string, context: GitContext = {}): Promise<Date> {
  const seconds = await runGit(['log', '-1', '--format=%ct', '--end-of-options', rev], {
    ...context,
    cwd: dir,
  });
  return new Date(Number(seconds.trim()) * 1000);
}
