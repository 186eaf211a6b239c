import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { BuildFailure, builderErrors } from '../errors.js';
import type { GitAccess } from './git-access.js';
import { GitError, runGit } from './git.js';

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

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** The mirror, created once; replicas racing to create it keep whichever rename won. */
async function ensureMirror(mirror: string, env: NodeJS.ProcessEnv): Promise<void> {
  if (await exists(`${mirror}/HEAD`)) return;
  await mkdir(dirname(mirror), { recursive: true });
  const fresh = `${mirror}.${randomUUID()}.tmp`;
  await runGit(['init', '--quiet', '--bare', fresh], { env });
  await rename(fresh, mirror).catch(() => rm(fresh, { recursive: true, force: true }));
}

const hasCommit = (mirror: string, sha: string, env: NodeJS.ProcessEnv) =>
  runGit(['--git-dir', mirror, 'cat-file', '-e', `${sha}^{commit}`], { env }).then(
    () => true,
    () => false,
  );

type FetchProblem = 'missing' | 'denied' | 'unavailable';

/** What a failed fetch means: the server lacks the object, refuses us, or could not be reached. */
function fetchProblem(err: unknown): FetchProblem {
  const text = err instanceof GitError ? err.stderr : String(err);
  if (/not our ref|unadvertised object|couldn't find remote ref|no such remote ref|bad object/i.test(text))
    return 'missing';
  if (
    /Authentication failed|could not read (Username|Password)|Permission denied|Host key verification failed|\b40[13]\b/i.test(
      text,
    )
  )
    return 'denied';
  return 'unavailable';
}

/** The ref a pipeline's fetch lands in: one per pipeline, so concurrent builds never contend for a ref lock. */
export const pipelineRef = (pipelineId: string) => `refs/gitops/pipelines/${pipelineId}`;

async function fetch(request: CheckoutRequest, source: string): Promise<void> {
  const { mirror, repoURL, access, signal } = request;
  const args = ['--git-dir', mirror, 'fetch', '--quiet', '--no-tags', '--no-write-fetch-head'];
  await runGit([...args, repoURL, `+${source}:${pipelineRef(request.pipelineId)}`], {
    env: access.env,
    signal,
  });
}

const missingCommit = (request: CheckoutRequest) =>
  new BuildFailure(
    `commit ${request.sha} is not in ${request.repoURL}: the server does not have it (was ${request.ref} force-pushed or deleted?)`,
    'source',
    'checkout',
  );

/** A fetch that failed for want of the object is for the caller to judge; any other failure is thrown here. */
function unlessMissing(err: unknown, request: CheckoutRequest): void {
  const problem = fetchProblem(err);
  if (problem === 'missing') return;
  const message = `cannot fetch from ${request.repoURL}: ${(err as Error).message}`;
  if (problem === 'denied') throw new BuildFailure(message, 'source', 'checkout');
  throw builderErrors.gitUnavailable(message, err);
}

/**
 * Brings the pushed commit into the mirror, fetching only that commit (and what it needs) where
 * the server allows a fetch by sha, else the pushed ref. A commit already there is not fetched.
 */
async function fetchCommit(request: CheckoutRequest): Promise<void> {
  const { mirror, sha, access } = request;
  if (await hasCommit(mirror, sha, access.env)) {
    request.log(`commit ${sha} is already in the mirror`);
    await runGit(['--git-dir', mirror, 'update-ref', pipelineRef(request.pipelineId), sha], access);
    return;
  }
  try {
    await fetch(request, sha);
  } catch (err) {
    unlessMissing(err, request);
    request.log(`the server refused to send ${sha} by itself; fetching ${request.ref}`);
    await fetch(request, request.ref).catch((refErr) => unlessMissing(refErr, request));
  }
  if (!(await hasCommit(mirror, sha, access.env))) throw missingCommit(request);
}

/**
 * Keeps the pushed commit reachable from the branch's ref in the mirror, so the next fetch
 * negotiates from it and transfers only new objects, then drops the pipeline's own ref. Best
 * effort: another build updating the same ref at the same moment is just as good.
 */
async function remember(request: CheckoutRequest): Promise<void> {
  const { mirror, sha, branch, pipelineId, access } = request;
  await runGit(['--git-dir', mirror, 'update-ref', `refs/heads/${branch}`, sha], access).catch(
    () => undefined,
  );
  await runGit(['--git-dir', mirror, 'update-ref', '-d', pipelineRef(pipelineId)], access).catch(
    () => undefined,
  );
}

/**
 * Checks out exactly the pushed commit into `request.dir`, from the repository's bare mirror:
 * the workspace borrows the mirror's objects (`clone --shared`), so a checkout copies no history.
 * Resolves with the commit's committer time, which images take as their creation time.
 */
export async function checkout(request: CheckoutRequest): Promise<{ commitTime: Date }> {
  const { mirror, sha, dir, access, signal } = request;
  await ensureMirror(mirror, access.env);
  await fetchCommit(request);
  await runGit(['clone', '--quiet', '--shared', '--no-checkout', mirror, dir], { env: access.env, signal });
  const inDir = { cwd: dir, env: access.env, signal };
  await runGit(['-c', 'advice.detachedHead=false', 'checkout', '--quiet', '--detach', sha], inDir);
  const committed = await runGit(['log', '-1', '--format=%ct', sha], inDir);
  await remember(request);
  request.log(`checked out ${sha}`);
  return { commitTime: new Date(Number(committed.trim()) * 1000) };
}
