import type { BuildFailure } from '../errors.js';
import { type ProcessOptions, type ProcessResult, runProcess } from './process.js';

/** Runs one step's process: here (BUILD_SANDBOX=off), or in a sandbox (src/sandbox). */
export type StepRunner = (options: ProcessOptions) => Promise<ProcessResult>;

export const runUnsandboxed: StepRunner = runProcess;

/**
 * Lets a runner stop a step for a reason of its own (a limit, a sandbox that did not start): `stop`
 * kills the step as an abort would, and `outcome` reports it as the step's `failure` rather than as
 * the build's abort, which keeps its own reason.
 */
export function ownStop(outer: AbortSignal) {
  const own = new AbortController();
  return {
    signal: AbortSignal.any([outer, own.signal]),
    stop: (failure: BuildFailure) => own.abort(failure),
    get stopped() {
      return own.signal.aborted && !outer.aborted;
    },
    outcome(result: ProcessResult): ProcessResult {
      if (!own.signal.aborted || outer.aborted || result.failure) return result;
      return { ...result, aborted: false, failure: own.signal.reason as BuildFailure };
    },
  };
}
