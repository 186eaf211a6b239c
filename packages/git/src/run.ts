import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { constants } from 'node:os';
import type { GitAccess } from './access.js';
import { hermeticEnv } from './environment.js';
import { GitError, failureFromStderr } from './git-error.js';

/** How an operation runs git: with which access (environment, credentials), for how long. */
export interface GitContext {
  /** From `gitAccess()`; without it git runs with the hermetic environment of this process and no credentials. */
  access?: GitAccess;
  /** Aborting kills git (and what it started: ssh, the HTTP helper) and rejects with a GitError. */
  signal?: AbortSignal;
  timeoutMs?: number;
  /**
   * Told of every git started (each leads a process group of its own), its answer called once that
   * git exited: a caller registers them so that no git outlives the caller's own death.
   */
  trackProcess?(pid: number | undefined): () => void;
}

export interface GitRunOptions extends GitContext {
  cwd?: string;
  /** Added to the environment, winning over the access's (an identity, config entries). */
  env?: Record<string, string>;
  /** Written to git's stdin. */
  input?: string;
}

export interface GitOutput {
  exitCode: number;
  stdout: string;
  stderr: string;
}

const MAX_STDOUT = 64 * 1024 * 1024;
const MAX_STDERR = 64 * 1024;

function stopSignal(options: GitRunOptions): AbortSignal | undefined {
  const signals = [options.signal, options.timeoutMs ? AbortSignal.timeout(options.timeoutMs) : undefined];
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length > 1 ? AbortSignal.any(present) : present[0];
}

function stopped(args: string[], options: GitRunOptions, signal: AbortSignal): GitError {
  const timedOut = !options.signal?.aborted;
  return new GitError({
    args,
    failure: timedOut ? 'timeout' : 'aborted',
    detail: timedOut ? `timed out after ${options.timeoutMs} ms` : 'was aborted',
    secrets: options.access?.secrets ?? [],
    cause: signal.reason,
  });
}

function killGroup(child: ChildProcessWithoutNullStreams): void {
  try {
    if (child.pid && child.exitCode === null) process.kill(-child.pid, 'SIGKILL');
  } catch {
    // The group is gone already.
  }
}

/** Collects git's stdout (killing it past MAX_STDOUT) and the tail of its stderr. */
function collect(child: ChildProcessWithoutNullStreams): (exitCode: number) => GitOutput {
  const stdout: Buffer[] = [];
  let stdoutBytes = 0;
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => {
    stdoutBytes += chunk.length;
    if (stdoutBytes > MAX_STDOUT) killGroup(child);
    else stdout.push(chunk);
  });
  child.stderr.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
  });
  return (exitCode) => ({
    exitCode,
    stdout: Buffer.concat(stdout).toString('utf8'),
    stderr: stdoutBytes > MAX_STDOUT ? `${stderr}\nmore than ${MAX_STDOUT} bytes of output` : stderr,
  });
}

/**
 * Runs git and resolves with its exit code and output, whatever the exit code (for commands whose
 * exit code is an answer: `diff --quiet`, `cat-file -e`). Rejects with a GitError when git cannot be
 * started, is aborted or times out. git runs in its own process group, so a stop reaches its children.
 */
export function execGit(args: string[], options: GitRunOptions = {}): Promise<GitOutput> {
  const signal = stopSignal(options);
  if (signal?.aborted) return Promise.reject(stopped(args, options, signal));
  return new Promise((resolve, reject) => {
    const env = { ...(options.access?.env ?? hermeticEnv()), ...options.env };
    const child = spawn('git', args, { cwd: options.cwd, env, detached: true, stdio: 'pipe' });
    const output = collect(child);
    const untrack = options.trackProcess?.(child.pid) ?? (() => undefined);
    const kill = () => killGroup(child);
    signal?.addEventListener('abort', kill, { once: true });
    // git may exit without reading all of its input; that is not the failure to report.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
    child.once('error', (cause) => {
      signal?.removeEventListener('abort', kill);
      untrack();
      const secrets = options.access?.secrets ?? [];
      reject(new GitError({ args, failure: 'failed', detail: cause.message, secrets, cause }));
    });
    child.once('close', (code, killedBy) => {
      signal?.removeEventListener('abort', kill);
      untrack();
      if (signal?.aborted) reject(stopped(args, options, signal));
      else resolve(output(code ?? 128 + (killedBy ? constants.signals[killedBy] : 0)));
    });
  });
}

/** Runs git and resolves with its stdout; a non-zero exit rejects with a GitError naming the command. */
export async function runGit(args: string[], options: GitRunOptions = {}): Promise<string> {
  const output = await execGit(args, options);
  if (output.exitCode === 0) return output.stdout;
  throw exitError(args, output, options);
}

/** The GitError for a run that exited non-zero. */
export function exitError(args: string[], output: GitOutput, options: GitRunOptions = {}): GitError {
  return new GitError({
    args,
    failure: failureFromStderr(output.stderr),
    stderr: output.stderr,
    exitCode: output.exitCode,
    secrets: options.access?.secrets ?? [],
  });
}
