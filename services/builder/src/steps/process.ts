import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BuildFailure } from '../errors.js';
import { guardProcessGroup } from '../orphan-guard.js';

/** How to start the process instead of `sh -c command` here: the sandbox's bwrap and its descriptors. */
export interface Launch {
  /** The program and its arguments. */
  argv: string[];
  /** The launcher's own environment (the sandbox passes the step's on a descriptor). */
  env: Record<string, string>;
  /** Pipes from descriptor 3 on, for `onSpawn` to write to or read from. */
  extraPipes: number;
  /** Who the launcher runs as, when the builder is root. */
  user?: { uid: number; gid: number };
  onSpawn(child: ChildProcess): void;
}

export interface ProcessOptions {
  /** A shell command line, run with `sh -c`. */
  command: string;
  cwd: string;
  /** The whole environment of the process: nothing of the builder's own is inherited. */
  env: Record<string, string>;
  timeoutMs: number;
  /** Stops the process (and its children) early: a superseding push, the build's deadline, shutdown. */
  signal: AbortSignal;
  onOutput(text: string): void;
  /** Between SIGTERM and SIGKILL (default 5 s). */
  killGraceMs?: number;
  launch?: Launch;
}

export interface ProcessResult {
  /** null when the process ended by a signal or could not start. */
  exitCode: number | null;
  timedOut: boolean;
  aborted: boolean;
  durationMs: number;
  /** Why it could not start (a missing working directory). */
  error?: Error;
  /** Why the runner stopped it for reasons of its own (a sandbox limit): what the step failed of. */
  failure?: BuildFailure;
}

/** Signals the whole process group: the shell and everything it started, background jobs included. */
function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

/** Stops a process group once: SIGTERM now, SIGKILL after the grace period, and remembers why. */
function groupStopper(pid: number | undefined, graceMs: number) {
  let reason: 'timeout' | 'abort' | undefined;
  let escalation: NodeJS.Timeout | undefined;
  return {
    get reason() {
      return reason;
    },
    stop(why: 'timeout' | 'abort') {
      if (reason || pid === undefined) return;
      reason = why;
      killGroup(pid, 'SIGTERM');
      escalation = setTimeout(() => killGroup(pid, 'SIGKILL'), graceMs);
    },
    /** The shell exited: kill what it left behind in its group, at once. */
    finish() {
      clearTimeout(escalation);
      if (pid !== undefined) killGroup(pid, 'SIGKILL');
    },
  };
}

/**
 * Runs a command in a process group of its own (`detached`), so that a timeout or a cancellation
 * kills the children it left running too: SIGTERM to the group, SIGKILL after the grace period.
 * Whatever is left in the group when the shell exits is killed as well, so no step outlives itself,
 * nor the builder (guardProcessGroup).
 */
export async function runProcess(options: ProcessOptions): Promise<ProcessResult> {
  const started = performance.now();
  const { launch } = options;
  const [file, ...args] = launch?.argv ?? ['sh', '-c', options.command];
  const child = spawn(file!, args, {
    cwd: options.cwd,
    env: launch?.env ?? options.env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe', ...Array<'pipe'>(launch?.extraPipes ?? 0).fill('pipe')],
    ...launch?.user,
  });
  launch?.onSpawn(child);
  const group = groupStopper(child.pid, options.killGraceMs ?? 5000);
  const unguard = guardProcessGroup(child.pid);
  const timer = setTimeout(() => group.stop('timeout'), options.timeoutMs);
  const onAbort = () => group.stop('abort');
  if (options.signal.aborted) onAbort();
  else options.signal.addEventListener('abort', onAbort, { once: true });
  for (const stream of [child.stdout, child.stderr] as Readable[]) {
    stream.setEncoding('utf8');
    stream.on('data', options.onOutput);
  }
  const closed = once(child, 'close').catch(() => undefined);
  const [exitCode, error] = await exited(child);
  clearTimeout(timer);
  options.signal.removeEventListener('abort', onAbort);
  group.finish();
  unguard();
  // A grandchild that left the group (setsid) may hold the pipes open; do not wait for it forever.
  await Promise.race([closed, sleep(2000, undefined, { ref: false })]);
  for (const stream of child.stdio) stream?.destroy();
  const durationMs = Math.round(performance.now() - started);
  const result = {
    exitCode,
    timedOut: group.reason === 'timeout',
    aborted: group.reason === 'abort',
    durationMs,
  };
  return error ? { ...result, error } : result;
}

function exited(child: ReturnType<typeof spawn>): Promise<[number | null, Error | undefined]> {
  return new Promise((resolve) => {
    child.once('error', (err) => resolve([null, err]));
    child.once('exit', (code) => resolve([code, undefined]));
  });
}
