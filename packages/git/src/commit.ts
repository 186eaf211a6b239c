import { resolveCommit } from './commit-info.js';
import { configEntries, hermeticEnv } from './environment.js';
import { invalidTrailer } from './errors.js';
import { type GitContext, execGit, exitError, runGit } from './run.js';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface CommitRequest extends GitContext {
  /** The work tree; every change in it (new, modified and deleted files) goes into the commit. */
  dir: string;
  message: string;
  author: GitIdentity;
  /** The author when absent. */
  committer?: GitIdentity;
  /** Appended as git trailers, in order: `{ 'Pipeline-Id': 'p-1', 'Source-Commit': 'abc…' }`. */
  trailers?: Record<string, string>;
  /** Signs the commit with an SSH key (`gpg.format=ssh`); `git verify-commit` checks it against allowed signers. */
  signingKeyFile?: string;
}

/** The new commit, or nothing to commit: the work tree matched HEAD, and no empty commit was made. */
export type CommitResult = { status: 'committed'; sha: string } | { status: 'nothing-to-commit' };

// A key as interpret-trailers recognises one, and a value that stays on its line.
const TRAILER_KEY = /^[A-Za-z0-9][A-Za-z0-9-]*$/;

function trailerArgs(trailers: Record<string, string>): string[] {
  return Object.entries(trailers).flatMap(([key, value]) => {
    if (!TRAILER_KEY.test(key)) throw invalidTrailer(key, 'is not a trailer key (letters, digits, -)');
    if (/[\r\n]/.test(value)) throw invalidTrailer(key, 'has a line break in its value');
    return ['--trailer', `${key}: ${value}`];
  });
}

function commitEnv(request: CommitRequest): Record<string, string> {
  const committer = request.committer ?? request.author;
  const identity = {
    GIT_AUTHOR_NAME: request.author.name,
    GIT_AUTHOR_EMAIL: request.author.email,
    GIT_COMMITTER_NAME: committer.name,
    GIT_COMMITTER_EMAIL: committer.email,
  };
  if (!request.signingKeyFile) return identity;
  const signing = configEntries(request.access?.env ?? hermeticEnv(), [
    ['gpg.format', 'ssh'],
    ['user.signingkey', request.signingKeyFile],
    ['commit.gpgsign', 'true'],
  ]);
  return { ...identity, ...signing };
}

/** Whether the index differs from HEAD (from the empty tree in a repository without commits). */
async function hasStagedChanges(dir: string, context: GitContext): Promise<boolean> {
  const args = ['diff', '--cached', '--quiet', '--no-ext-diff'];
  const output = await execGit(args, { ...context, cwd: dir });
  if (output.exitCode > 1) throw exitError(args, output, context);
  return output.exitCode === 1;
}

/**
 * Commits every change in the work tree at `dir` as `author`, with `trailers` after the message
 * (read back with `git log --format=%(trailers)`), signed when a signing key is given. Resolves with
 * the new commit's sha, or `nothing-to-commit` when nothing changed.
 */
export async function commitAll(request: CommitRequest): Promise<CommitResult> {
  const { dir } = request;
  const trailers = trailerArgs(request.trailers ?? {});
  await runGit(['add', '--all'], { ...request, cwd: dir });
  if (!(await hasStagedChanges(dir, request))) return { status: 'nothing-to-commit' };
  // --cleanup=whitespace: a message line starting with '#' is text, not a comment to strip.
  // --no-verify: a repository's own hooks never run inside a service.
  const args = ['commit', '--quiet', '--no-verify', '--cleanup=whitespace', '--file=-', ...trailers];
  // Unsigned means unsigned, whatever the repository's own config says.
  if (!request.signingKeyFile) args.push('--no-gpg-sign');
  await runGit(args, { ...request, cwd: dir, input: request.message, env: commitEnv(request) });
  return { status: 'committed', sha: await resolveCommit(dir, 'HEAD', request) };
}
