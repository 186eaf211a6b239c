import {
  CommitNotFound,
  type GitAccess,
  type GitContext,
  GitError,
  checkoutDetached,
  clone,
  commitTime,
  ensureMirror,
  fetchCommit,
  runGit,
} from '@gitops/git';
import { BuildFailure, builderErrors } from '../errors.js';
import { guardProcessGroup } from '../orphan-guard.js';

export interface CheckoutRequest {
  /** The application's repository URL (from the application file, never from the webhook). */
  repoURL: string;
  /** The bare mirror of that repository. */
  mirror: string;
  sha: string;
  /** The pushed ref, fetched instead when the server refuses a fetch by sha. */
  ref: string;
  branch: string;
  pipelineId: string;
  /** Where to check out; must not exist yet. */
  dir: string;
  access: GitAccess;
  signal: AbortSignal;
  log(line: string): void;
}

/** The ref a pipeline's fetch lands in: one per pipeline, so concurrent builds never contend for a ref lock. */
export const pipelineRef = (pipelineId: string) => `refs/gitops/pipelines/${pipelineId}`;

/**
 * What a failed fetch means for the build: a commit the server lacks or refused credentials fail it
 * (`source`); anything else (the server unreachable) is a fault of the infrastructure, retried.
 */
function fetchFailure(err: unknown, request: CheckoutRequest): unknown {
  if (err instanceof CommitNotFound) {
    return new BuildFailure(
      `commit ${request.sha} is not in ${request.repoURL}: the server does not have it (was ${request.ref} force-pushed or deleted?)`,
      'source',
      'checkout',
    );
  }
  const message = `cannot fetch from ${request.repoURL}: ${(err as Error).message}`;
  if (err instanceof GitError && err.failure === 'denied')
    return new BuildFailure(message, 'source', 'checkout');
  return builderErrors.gitUnavailable(message, err);
}

/** Brings the pushed commit into the mirror (only that commit and what it needs), unless it is there. */
async function fetchIntoMirror(request: CheckoutRequest, git: GitContext): Promise<void> {
  const { mirror, repoURL, sha, ref } = request;
  const into = pipelineRef(request.pipelineId);
  const fetched = await fetchCommit({
    ...git,
    gitDir: mirror,
    url: repoURL,
    sha,
    into,
    fallbackRef: ref,
  }).catch((err) => {
    throw fetchFailure(err, request);
  });
  if (fetched === 'present') request.log(`commit ${sha} is already in the mirror`);
  if (fetched === 'by-ref') request.log(`the server refused to send ${sha} by itself; fetched ${ref}`);
}

/**
 * Keeps the pushed commit reachable from the branch's ref in the mirror, so the next fetch
 * negotiates from it and transfers only new objects, then drops the pipeline's own ref. Best
 * effort: another build updating the same ref at the same moment is just as good.
 */
async function remember(request: CheckoutRequest, git: GitContext): Promise<void> {
  const { mirror, sha, branch, pipelineId } = request;
  const updateRef = (...args: string[]) =>
    runGit(['--git-dir', mirror, 'update-ref', ...args], git).catch(() => undefined);
  await updateRef(`refs/heads/${branch}`, sha);
  await updateRef('-d', pipelineRef(pipelineId));
}

/** A local git failure (the mirror, the workspace) fails the build, as any unexpected error of a build does. */
const localFailure = (err: unknown) =>
  err instanceof GitError ? new BuildFailure(err.message, 'error', 'checkout') : err;

/**
 * Checks out exactly the pushed commit into `request.dir`, from the repository's bare mirror:
 * the workspace borrows the mirror's objects (`clone --shared`), so a checkout copies no history.
 * Resolves with the commit's committer time, which images take as their creation time.
 */
export async function checkout(request: CheckoutRequest): Promise<{ commitTime: Date }> {
  const { mirror, sha, dir } = request;
  const git: GitContext = { access: request.access, signal: request.signal, trackProcess: guardProcessGroup };
  try {
    await ensureMirror(mirror, git);
    await fetchIntoMirror(request, git);
    await clone({ ...git, source: mirror, dir, shared: true, noCheckout: true });
    await checkoutDetached(dir, sha, git);
    const committed = await commitTime(dir, sha, git);
    await remember(request, git);
    request.log(`checked out ${sha}`);
    return { commitTime: committed };
  } catch (err) {
    throw localFailure(err);
  }
}
