import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runGit } from '../run.js';

export const AUTHOR = { name: 'Test Author', email: 'author@example.com' };

const identityEnv = {
  GIT_AUTHOR_NAME: AUTHOR.name,
  GIT_AUTHOR_EMAIL: AUTHOR.email,
  GIT_COMMITTER_NAME: AUTHOR.name,
  GIT_COMMITTER_EMAIL: AUTHOR.email,
};

/** A temporary directory for one test file's repositories, removed by `dispose()`. */
export interface Scratch {
  root: string;
  /** A fresh path under the root (not created). */
  path(name: string): string;
  /** A bare repository with `main` as its default branch, and its file:// URL. */
  bareRepo(name?: string): Promise<{ dir: string; url: string }>;
  /** A clone of `url` to commit in and push from. */
  workClone(url: string): Promise<string>;
  dispose(): Promise<void>;
}

export async function createScratch(): Promise<Scratch> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-git-'));
  let n = 0;
  const path = (name: string) => join(root, `${name}-${++n}`);
  return {
    root,
    path,
    bareRepo: async (name = 'remote') => {
      const dir = `${path(name)}.git`;
      await runGit(['init', '--quiet', '--bare', '--initial-branch', 'main', dir]);
      return { dir, url: `file://${dir}` };
    },
    workClone: async (url) => {
      const dir = path('work');
      await runGit(['clone', '--quiet', url, dir]);
      return dir;
    },
    dispose: () => rm(root, { recursive: true, force: true }),
  };
}

/** Writes `files` into the work tree at `dir` and commits everything; resolves with the sha. */
export async function commitFiles(
  dir: string,
  files: Record<string, string>,
  message = 'change',
): Promise<string> {
  for (const [file, content] of Object.entries(files)) {
    await mkdir(dirname(join(dir, file)), { recursive: true });
    await writeFile(join(dir, file), content);
  }
  await runGit(['add', '--all'], { cwd: dir });
  await runGit(['commit', '--quiet', '--message', message], { cwd: dir, env: identityEnv });
  return (await runGit(['rev-parse', 'HEAD'], { cwd: dir })).trim();
}

/** Commits `files` in `dir` and pushes HEAD to `branch` of its origin; resolves with the sha. */
export async function commitAndPush(
  dir: string,
  files: Record<string, string>,
  branch = 'main',
): Promise<string> {
  const sha = await commitFiles(dir, files);
  await runGit(['push', '--quiet', 'origin', `HEAD:refs/heads/${branch}`], { cwd: dir });
  return sha;
}

/** A scratch directory with one bare repository and a work clone of it, for a test file's `beforeAll`. */
export async function scratchWithRemote(): Promise<{ scratch: Scratch; url: string; work: string }> {
  const scratch = await createScratch();
  const { url } = await scratch.bareRepo();
  return { scratch, url, work: await scratch.workClone(url) };
}
