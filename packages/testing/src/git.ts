import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runGit } from '@gitops/git';

export interface GitOptions {
  cwd?: string;
  /** Added to the environment; wins over the hermetic defaults. */
  env?: Record<string, string>;
}

/**
 * Runs git and resolves with its stdout; rejects with a GitError naming the command and git's stderr.
 * Tests must not depend on the developer's git setup (commit signing, hooks paths, default branch):
 * @gitops/git's runner applies only the repository's own config, and git never prompts.
 */
export function git(args: string[], options: GitOptions = {}): Promise<string> {
  return runGit(args, options);
}

export interface Author {
  name: string;
  email: string;
}

const DEFAULT_AUTHOR: Author = { name: 'Test Author', email: 'author@example.com' };

/** Writes `files` (paths relative to the work tree) and commits every change; resolves with the commit sha. */
export async function makeCommit(
  workdir: string,
  files: Record<string, string>,
  message: string,
  author: Author = DEFAULT_AUTHOR,
): Promise<string> {
  for (const [path, content] of Object.entries(files)) {
    const file = join(workdir, path);
    await mkdir(dirname(file), { recursive: true });
    await writeFile(file, content);
  }
  const env = {
    GIT_AUTHOR_NAME: author.name,
    GIT_AUTHOR_EMAIL: author.email,
    GIT_COMMITTER_NAME: author.name,
    GIT_COMMITTER_EMAIL: author.email,
  };
  await git(['add', '--all'], { cwd: workdir });
  // From a file: a message of any size (argv is limited to a few hundred KiB).
  const messageFile = join(await mkdtemp(join(tmpdir(), 'commit-message-')), 'message');
  await writeFile(messageFile, message);
  await git(['commit', '--quiet', '--allow-empty', '--file', messageFile], {
    cwd: workdir,
    env,
  });
  await rm(dirname(messageFile), { recursive: true, force: true });
  return (await git(['rev-parse', 'HEAD'], { cwd: workdir })).trim();
}
