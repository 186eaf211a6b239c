import { measure } from '../data-gc/measure.js';
import { BuildFailure } from '../errors.js';
import { type StepRunner, ownStop } from './step-runner.js';

/** Between two measures of a running step's workspace, at least; longer when measuring takes long. */
const POLL_MS = 1000;
/** A measure may take this share of the time at most, so a workspace of many files costs little CPU. */
const POLL_SHARE = 10;

const workspaceBytes = async (root: string) =>
  // A directory the step made unreadable is skipped: the next measure tries again.
  (await measure(root, 'mtime', new Set()).catch(() => undefined))?.bytes ?? 0;

const overLimit = (maxBytes: number) =>
  new BuildFailure(`workspace over BUILD_WORKSPACE_MAX (${maxBytes} bytes)`, 'step-failed');

/** Measures the workspace every POLL_MS or so until stopped, and calls `onOver` once it passes `maxBytes`. */
function watchSize(root: string, maxBytes: number, onOver: () => void): () => void {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const tick = async () => {
    const started = performance.now();
    const bytes = await workspaceBytes(root);
    if (stopped) return;
    if (bytes > maxBytes) return onOver();
    timer = setTimeout(tick, Math.max(POLL_MS, (performance.now() - started) * POLL_SHARE));
  };
  timer = setTimeout(tick, POLL_MS);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}

/**
 * Keeps a step's workspace under BUILD_WORKSPACE_MAX: measured while the step runs (the step is
 * killed once it is over) and once more when it ends, so a step that wrote fast and exited fails too.
 * The sandbox's RLIMIT_FSIZE caps any single file at the same size meanwhile (docs/builder.md, "Limits").
 */
export function limitWorkspace(run: StepRunner, root: string, maxBytes: number): StepRunner {
  return async (options) => {
    const own = ownStop(options.signal);
    const unwatch = watchSize(root, maxBytes, () => own.stop(overLimit(maxBytes)));
    try {
      const result = await run({ ...options, signal: own.signal });
      if (!own.stopped && !result.aborted && (await workspaceBytes(root)) > maxBytes)
        own.stop(overLimit(maxBytes));
      return own.outcome(result);
    } finally {
      unwatch();
    }
  };
}
