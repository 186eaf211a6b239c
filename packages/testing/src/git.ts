import { execFile } from 'node:child_process';
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

export interface GitOptions {
  cwd?: string;
  /** Added to the environment; wins over the defaults below. */
  env?: Record<string, string>;
}

// Tests must not depend on the developer's git setup (commit signing, hooks paths, default branch):
// only the repository's own config applies, and git never waits for a password on a terminal.
const HERMETIC_ENV = { GIT_CONFIG_GLOBAL: '/dev/null', GIT_CONFIG_NOSYSTEM: '1', GIT_TERMINAL_PROMPT: '0' };

/** Runs git and resolves with its stdout; rejects with git's stderr in the message. */
export function git(args: string[], options: GitOptions = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      {
        cwd: options.cwd,
        env: { ...process.env, ...HERMETIC_ENV, ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (err, stdout, stderr) => {
        if (err) reject(new Error(`git ${args.join(' ')} failed: ${stderr.trim() || err.message}`));
        else resolve(stdout);
      },
    );
  });
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
  await git(['commit', '--quiet', '--allow-empty', '--message', message], { cwd: workdir, env });
  return (await git(['rev-parse', 'HEAD'], { cwd: workdir })).trim();
}
