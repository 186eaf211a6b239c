import { execFile } from 'node:child_process';

/** git failed; `stderr` says why (credentials never appear in it: they are not in any argument). */
export class GitError extends Error {
  override name = 'GitError';
  constructor(
    readonly args: string[],
    readonly stderr: string,
    options?: { cause?: unknown },
  ) {
    super(`git ${args[0] === '--git-dir' ? args[2] : args[0]} failed: ${stderr || 'no output'}`, options);
  }
}

export interface GitRun {
  cwd?: string;
  /** The whole environment of the git process. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/** Runs git and resolves with its stdout. Arguments never carry a secret (see git-access.ts). */
export function runGit(args: string[], run: GitRun): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'git',
      args,
      { cwd: run.cwd, env: run.env, signal: run.signal, maxBuffer: 16 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err) reject(new GitError(args, stderr.trim().split('\n').slice(-5).join('\n'), { cause: err }));
        else resolve(stdout);
      },
    );
  });
}
