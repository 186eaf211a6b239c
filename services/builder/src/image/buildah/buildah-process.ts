import { spawn } from 'node:child_process';
import type { BuildNetwork } from '@gitops/config';
import { guardProcessGroup } from '../../orphan-guard.js';
import { imageErrors } from '../errors.js';

export interface BuildahCall {
  /** Everything after the global storage flags. */
  args: string[];
  /**
   * Runs buildah in PID and mount namespaces of its own with a fresh /proc (`unshare`), so a RUN line
   * sees no process of the host's (the builder's environment in /proc/<pid>/environ); with `none`, in
   * a network namespace of its own too, with loopback only. For `bud` of a root builder (docs/builder.md, "Sandbox").
   */
  isolate?: BuildNetwork;
  env: NodeJS.ProcessEnv;
  signal: AbortSignal;
  /** Every output line (stdout and stderr), as it comes. */
  onLine?(line: string): void;
}

export interface BuildahExit {
  code: number | null;
  stdout: string;
  /** The last lines of output, for error messages. */
  tail: string[];
}

/** SIGTERM lets buildah remove its working container; SIGKILL follows if it has not exited by then. */
const KILL_GRACE_MS = 5000;
const TAIL_LINES = 40;

/** Calls `onLine` for each complete line of a stream's chunks. */
function lineReader(onLine: (line: string) => void): (chunk: string) => void {
  let partial = '';
  return (chunk) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  };
}

/** On abort, SIGTERM to the process group, SIGKILL after the grace period; returns the clean-up. */
function killGroupOnAbort(pid: number, signal: AbortSignal): () => void {
  const kill = (name: NodeJS.Signals) => {
    try {
      process.kill(-pid, name);
    } catch {
      // The group is gone already.
    }
  };
  let timer: NodeJS.Timeout | undefined;
  const onAbort = () => {
    kill('SIGTERM');
    timer = setTimeout(() => kill('SIGKILL'), KILL_GRACE_MS);
  };
  signal.addEventListener('abort', onAbort, { once: true });
  if (signal.aborted) onAbort();
  return () => {
    signal.removeEventListener('abort', onAbort);
    clearTimeout(timer);
  };
}

/** `--kill-child`: the namespaces' processes die with unshare, which dies with its process group. */
const unshare = (network: BuildNetwork) => [
  ...['unshare', '--pid', '--fork', '--mount-proc', '--kill-child'],
  ...(network === 'none' ? ['--net'] : []),
  '--',
];

/**
 * Runs buildah in its own process group, so an abort stops it together with the RUN commands it
 * started (SIGTERM to the group, then SIGKILL), and so does the builder's death (guardProcessGroup).
 * Resolves with the exit code and output; rejects with GITOPS_BUILD_BUILDAH_MISSING when buildah is
 * not installed.
 */
export function runBuildah(globalArgs: string[], call: BuildahCall): Promise<BuildahExit> {
  const buildah = ['buildah', ...globalArgs, ...call.args];
  const [file, ...args] = call.isolate ? [...unshare(call.isolate), ...buildah] : buildah;
  return new Promise((resolve, reject) => {
    const child = spawn(file!, args, {
      detached: true,
      env: call.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const unguard = guardProcessGroup(child.pid);
    const tail: string[] = [];
    const onLine = (line: string) => {
      call.onLine?.(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    let stdout = '';
    child.stdout.setEncoding('utf8');
    child.stderr.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stdout.on('data', lineReader(onLine));
    child.stderr.on('data', lineReader(onLine));
    let cleanUp = () => {};
    child.once('spawn', () => {
      cleanUp = killGroupOnAbort(child.pid as number, call.signal);
    });
    child.once('error', (err: NodeJS.ErrnoException) => {
      cleanUp();
      unguard();
      reject(err.code === 'ENOENT' ? imageErrors.buildahMissing(err) : err);
    });
    child.once('close', (code) => {
      cleanUp();
      unguard();
      resolve({ code, stdout, tail });
    });
  });
}
