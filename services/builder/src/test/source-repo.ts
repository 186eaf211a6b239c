import { mkdtemp, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitServer, git, makeCommit } from '@gitops/testing';

export interface SourceRepo {
  url: string;
  /** A clone to commit in and push from. */
  work: string;
  /**
   * Commits `files` (and `links`, path to symlink target) and pushes them to `branch`, forced: a test
   * may rewrite history. Resolves with the sha.
   */
  push(
    files: Record<string, string>,
    options?: { branch?: string; links?: Record<string, string> },
  ): Promise<string>;
}

/** A repository on the real git server with a clone of its own, for one test. */
export async function createSourceRepo(server: GitServer, path: string): Promise<SourceRepo> {
  const repo = await server.createBareRepo(path);
  const work = await mkdtemp(join(tmpdir(), 'builder-work-'));
  await git(['init', '--quiet', '--initial-branch', 'main', work]);
  await git(['remote', 'add', 'origin', repo.url], { cwd: work });
  return {
    url: repo.url,
    work,
    push: async (files, { branch = 'main', links = {} } = {}) => {
      for (const [path, target] of Object.entries(links)) await symlink(target, join(work, path));
      const sha = await makeCommit(work, files, 'change');
      await git(['push', '--quiet', '--force', 'origin', `HEAD:refs/heads/${branch}`], { cwd: work });
      return sha;
    },
  };
}
