import { CommitNotFound } from './errors.js';
import { GitError } from './git-error.js';
import { type GitContext, execGit, runGit } from './run.js';

export interface FetchCommitRequest extends GitContext {
  /** A bare repository (a mirror) or a work tree's `.git`. */
  gitDir: string;
  url: string;
  sha: string;
  /** The ref the commit lands in, e.g. one per pipeline so concurrent fetches never contend for a ref lock. */
  into: string;
  /** Fetched instead when the server refuses a fetch by sha (the ref the commit was pushed to). */
  fallbackRef?: string;
  /**
   * Fetch only this many commits of history. Makes the repository shallow: its `shallow` file is
   * one more lock for concurrent fetches, so a mirror shared by concurrent jobs is better left whole.
   */
  depth?: number;
}

/** Where the commit came from: the repository had it already, the server sent it by sha, or with the fallback ref. */
export type FetchedCommit = 'present' | 'by-sha' | 'by-ref';

/** Whether the repository has `sha` as a commit. */
export async function hasCommit(gitDir: string, sha: string, context: GitContext = {}): Promise<boolean> {
  const output = await execGit(['--git-dir', gitDir, 'cat-file', '-e', `${sha}^{commit}`], context);
  return output.exitCode === 0;
}

async function fetchInto(request: FetchCommitRequest, source: string): Promise<void> {
  const { gitDir, url, into, depth } = request;
  const args = ['--git-dir', gitDir, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head'];
  if (depth) args.push(`--depth=${depth}`);
  await runGit([...args, '--', url, `+${source}:${into}`], request);
}

const isNotFound = (err: unknown) => err instanceof GitError && err.failure === 'not-found';

/**
 * Brings exactly `sha` (and, unless `depth` says otherwise, the history it needs that is missing)
 * into the repository and points `into` at it. A commit the repository has is not fetched. Throws
 * CommitNotFound when the server does not have it, a GitError when the fetch fails otherwise.
 */
export async function fetchCommit(request: FetchCommitRequest): Promise<FetchedCommit> {
  const { gitDir, sha, into, fallbackRef } = request;
  if (await hasCommit(gitDir, sha, request)) {
    await runGit(['--git-dir', gitDir, 'update-ref', into, sha], request);
    return 'present';
  }
  let fetched: FetchedCommit = 'by-sha';
  try {
    await fetchInto(request, sha);
  } catch (err) {
    if (!isNotFound(err) || !fallbackRef) throw notFoundAsMissing(err, request);
    fetched = 'by-ref';
    await fetchInto(request, fallbackRef).catch((refErr) => {
      throw notFoundAsMissing(refErr, request);
    });
  }
  if (!(await hasCommit(gitDir, sha, request))) throw new CommitNotFound(sha, request.url);
  // A fallback ref that moved on left `into` at another commit.
  if (fetched === 'by-ref') await runGit(['--git-dir', gitDir, 'update-ref', into, sha], request);
  return fetched;
}

const notFoundAsMissing = (err: unknown, request: FetchCommitRequest) =>
  isNotFound(err) ? new CommitNotFound(request.sha, request.url) : err;
