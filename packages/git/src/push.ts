import { PushRejected, type PushRejection } from './errors.js';
import { type GitContext, execGit, exitError } from './run.js';

export interface PushRequest extends GitContext {
  /** The work tree (or repository) to push from. */
  dir: string;
  /** A remote's name (`origin`) or URL. */
  remote: string;
  branch: string;
  /** What to push; HEAD by default (a detached HEAD too). */
  source?: string;
}

// `--porcelain` prints one line per ref on stdout: flag, TAB, from:to, TAB, summary and (reason).
const REJECTED_LINE = /^!\t[^\t]*\t\[(rejected|remote rejected)\] \((.*)\)$/m;
const NON_FAST_FORWARD = new Set(['fetch first', 'non-fast-forward']);

function rejectionIn(stdout: string): { reason: PushRejection; detail: string } | undefined {
  const match = REJECTED_LINE.exec(stdout);
  if (!match) return undefined;
  const [, kind, detail = ''] = match;
  const nonFastForward = kind === 'rejected' && NON_FAST_FORWARD.has(detail);
  return { reason: nonFastForward ? 'non-fast-forward' : 'rejected', detail };
}

/**
 * Pushes `source` to `branch` of `remote`, never forced. A branch that moved on since it was fetched
 * throws PushRejected with `reason: 'non-fast-forward'`, a refusal of the server (a hook, a protected
 * branch) PushRejected with `reason: 'rejected'`; any other failure (network, credentials) a GitError.
 */
export async function pushBranch(request: PushRequest): Promise<void> {
  const refspec = `${request.source ?? 'HEAD'}:refs/heads/${request.branch}`;
  const args = ['push', '--porcelain', '--no-verify', '--', request.remote, refspec];
  const output = await execGit(args, { ...request, cwd: request.dir });
  if (output.exitCode === 0) return;
  const rejection = rejectionIn(output.stdout);
  if (rejection) throw new PushRejected(request.branch, rejection.reason, rejection.detail);
  throw exitError(args, output, request);
}
