import { access, mkdir } from 'node:fs/promises';
import {
  type CommitResult,
  type GitAccess,
  type GitIdentity,
  commitAll,
  fetchBranchHead,
  isGitError,
  pushBranch,
  runGit,
} from '@gitops/git';

/** How the service commits: its identity, optional SSH signing, how long one git command may take. */
export interface CommitSettings {
  author: GitIdentity;
  committer: GitIdentity;
  signingKeyFile?: string;
  timeoutMs: number;
}

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/** A commit of the platform's found again by its pipeline id (trailers `Pipeline-Id` or `Batched-Pipelines`). */
export interface FoundCommit {
  sha: string;
  subject: string;
  pipelines: string[];
}

/**
 * A work clone of one config repository, used by one writer at a time (the caller serialises). Every
 * use starts from the remote's head (`sync`), so whatever a crashed attempt left in it is discarded.
 * The remote is named by URL at each fetch and push: no URL is stored in the clone's config.
 */
export class GitWorkspace {
  constructor(
    readonly dir: string,
    private readonly url: string,
    private readonly settings: CommitSettings,
  ) {}

  #git(args: string[], access: GitAccess) {
    return runGit(args, { access, cwd: this.dir, timeoutMs: this.settings.timeoutMs });
  }

  /**
   * Fetches the branch (`fallback`'s head when the remote has no such branch yet, so an environment
   * branch is created from the default one) and checks it out clean; answers its head.
   */
  async sync(branch: string, access: GitAccess, fallback?: string): Promise<string> {
    if (!(await exists(`${this.dir}/.git`))) {
      await mkdir(this.dir, { recursive: true });
      await this.#git(['init', '--quiet'], access);
    }
    const head = await this.#fetch(branch, access).catch(async (err) => {
      if (!fallback || fallback === branch || !isGitError(err) || err.failure !== 'not-found') throw err;
      return this.#fetch(fallback, access);
    });
    await this.#git(['checkout', '--quiet', '--force', '-B', branch, head], access);
    await this.#git(['clean', '--quiet', '-fdx'], access);
    return head;
  }

  #fetch(branch: string, access: GitAccess) {
    const { timeoutMs } = this.settings;
    return fetchBranchHead({ dir: this.dir, remote: this.url, branch, access, timeoutMs });
  }

  /** Checks out `ref` (a commit fetched already) detached, for reading. */
  async checkout(ref: string, access: GitAccess): Promise<void> {
    await this.#git(['checkout', '--quiet', '--force', '--detach', ref], access);
    await this.#git(['clean', '--quiet', '-fdx'], access);
  }

  /** Throws away every change of the work tree (a failed edit's half-written files). */
  async discard(access: GitAccess): Promise<void> {
    await this.#git(['reset', '--quiet', '--hard'], access);
    await this.#git(['clean', '--quiet', '-fdx'], access);
  }

  async head(access: GitAccess): Promise<string> {
    return (await this.#git(['rev-parse', 'HEAD'], access)).trim();
  }

  commit(message: string, trailers: Record<string, string>, access: GitAccess): Promise<CommitResult> {
    const { author, committer, signingKeyFile, timeoutMs } = this.settings;
    return commitAll({
      dir: this.dir,
      message,
      trailers,
      author,
      committer,
      access,
      timeoutMs,
      ...(signingKeyFile ? { signingKeyFile } : {}),
    });
  }

  push(branch: string, access: GitAccess): Promise<void> {
    return pushBranch({
      dir: this.dir,
      remote: this.url,
      branch,
      access,
      timeoutMs: this.settings.timeoutMs,
    });
  }

  /** The `Source-Commit` trailer of the last commit up to `ref` that changed `path`, if it has one. */
  async sourceCommitOf(ref: string, path: string, access: GitAccess): Promise<string | undefined> {
    const format = '--format=%(trailers:key=Source-Commit,valueonly)';
    const out = await this.#git(['log', '-1', format, ref, '--', path], access);
    const sha = out.trim();
    return /^[0-9a-f]{40}([0-9a-f]{24})?$/.test(sha) ? sha : undefined;
  }

  /** The commits of HEAD's history that name any of the pipelines, newest first. */
  async findPipelines(pipelineIds: string[], access: GitAccess): Promise<FoundCommit[]> {
    if (pipelineIds.length === 0) return [];
    const format =
      '--format=%H%x1f%s%x1f%(trailers:key=Pipeline-Id,key=Batched-Pipelines,valueonly,separator=%x20)%x1e';
    const greps = pipelineIds.map((id) => `--grep=${id}`);
    const out = await this.#git(['log', '--fixed-strings', format, ...greps, 'HEAD', '--'], access);
    return out
      .split('\x1e')
      .map((record) => record.trim())
      .filter(Boolean)
      .map((record) => {
        const [sha = '', subject = '', trailers = ''] = record.split('\x1f');
        return { sha, subject, pipelines: trailers.split(/[\s,]+/).filter(Boolean) };
      });
  }
}
