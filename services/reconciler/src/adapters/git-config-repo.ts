import { mkdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '@gitops/errors';
import {
  type GitAccess,
  PushRejected,
  checkoutDetached,
  clone,
  commitAll,
  execGit,
  fetchBranchHead,
  pushBranch,
  resolveCommit,
  runGit,
} from '@gitops/git';
import type { ConfigCheckout, ConfigRepo, RevertToRequest } from '../ports.js';

const exists = (path: string) =>
  stat(path).then(
    () => true,
    () => false,
  );
const safe = (name: string) => name.replace(/[^A-Za-z0-9._-]/g, '_');

export interface GitConfigRepoOptions {
  /** Work trees live under `<dataDir>/reconciler/<replica>/`. */
  dir: string;
  repoURLOf(app: string): string;
  access(): Promise<GitAccess>;
  author: { name: string; email: string };
  pushAttempts?: number;
}

/** Config repositories through packages/git: one work tree per application and branch, serialised in-process. */
export class GitConfigRepo implements ConfigRepo {
  readonly #queues = new Map<string, Promise<unknown>>();
  /** The commit each work tree has checked out, so an unchanged branch costs one `ls-remote`. */
  readonly #checkedOut = new Map<string, string>();

  constructor(private readonly options: GitConfigRepoOptions) {}

  /** Runs `work` after any earlier work on the same tree. */
  #serial<T>(tree: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(tree) ?? Promise.resolve();
    const next = previous.then(work, work);
    this.#queues.set(
      tree,
      next.catch(() => undefined),
    );
    return next;
  }

  /** The branch head the remote advertises, or undefined when it cannot say. */
  async #remoteHead(tree: string, branch: string, access: GitAccess): Promise<string | undefined> {
    const output = await execGit(['ls-remote', '--', 'origin', `refs/heads/${branch}`], {
      cwd: tree,
      access,
    });
    return output.exitCode === 0 ? /^([0-9a-f]{40,64})\t/.exec(output.stdout)?.[1] : undefined;
  }

  async #headOf(tree: string, app: string, branch: string): Promise<string> {
    const access = await this.options.access();
    const current = this.#checkedOut.get(tree);
    if (current && (await this.#remoteHead(tree, branch, access)) === current) return current;
    this.#checkedOut.delete(tree);
    if (!(await exists(join(tree, '.git')))) {
      await rm(tree, { recursive: true, force: true });
      await mkdir(join(tree, '..'), { recursive: true });
      await clone({ source: this.options.repoURLOf(app), dir: tree, branch, access, noCheckout: true });
    }
    const head = await fetchBranchHead({ dir: tree, remote: 'origin', branch, access });
    await checkoutDetached(tree, head, { access });
    await runGit(['clean', '-q', '-f', '-d', '-x'], { cwd: tree, access });
    this.#checkedOut.set(tree, head);
    return head;
  }

  checkout(app: string, branch: string): Promise<ConfigCheckout> {
    const tree = join(this.options.dir, safe(app), safe(branch));
    return this.#serial(tree, async () => ({ dir: tree, commit: await this.#headOf(tree, app, branch) }));
  }

  trailers(app: string, branch: string, sha: string): Promise<Record<string, string>> {
    const tree = join(this.options.dir, safe(app), safe(branch));
    return this.#serial(tree, async () => {
      const output = await execGit(['log', '-1', '--format=%(trailers:only,unfold)', sha, '--'], {
        cwd: tree,
      });
      if (output.exitCode !== 0) return {};
      const trailers: Record<string, string> = {};
      for (const line of output.stdout.split('\n')) {
        const match = /^([A-Za-z0-9-]+):\s*(.*)$/.exec(line.trim());
        if (match) trailers[match[1]!] = match[2]!;
      }
      return trailers;
    });
  }

  /**
   * One commit that restores the environment's path to its content at `to` (files added since are
   * removed), pushed to the branch; a push that loses a race starts again from the new head.
   */
  revertTo(request: RevertToRequest): Promise<{ from: string; commit: string }> {
    const tree = join(this.options.dir, safe(request.app), `rollback-${safe(request.branch)}`);
    return this.#serial(tree, async () => {
      const attempts = this.options.pushAttempts ?? 5;
      for (let attempt = 1; ; attempt++) {
        // This tree gets commits of its own: always checked out afresh from the remote.
        this.#checkedOut.delete(tree);
        const from = await this.#headOf(tree, request.app, request.branch);
        const access = await this.options.access();
        const known = await execGit(['merge-base', '--is-ancestor', request.to, from], { cwd: tree, access });
        if (known.exitCode !== 0) {
          throw new AppError(
            'GITOPS_RECONCILE_ROLLBACK_TARGET',
            `${request.to} is not a commit of ${request.branch} before its head`,
            {
              statusCode: 409,
            },
          );
        }
        await runGit(['rm', '-r', '-q', '--ignore-unmatch', '--', request.path], { cwd: tree, access });
        await runGit(['checkout', request.to, '--', request.path], { cwd: tree, access });
        const result = await commitAll({
          dir: tree,
          access,
          author: this.options.author,
          message: `Rollback ${request.path} to ${request.to.slice(0, 12)}\n\n${request.reason}\n`,
          trailers: { 'Rollback-To': request.to, 'Rollback-By': request.by },
        });
        if (result.status === 'nothing-to-commit') {
          throw new AppError(
            'GITOPS_RECONCILE_ROLLBACK_NOOP',
            `${request.path} at ${request.branch} already matches ${request.to}`,
            {
              statusCode: 409,
            },
          );
        }
        try {
          await pushBranch({ dir: tree, remote: 'origin', branch: request.branch, access });
          return { from, commit: await resolveCommit(tree, 'HEAD', { access }) };
        } catch (err) {
          if (!(err instanceof PushRejected) || attempt >= attempts) throw err;
        }
      }
    });
  }
}
