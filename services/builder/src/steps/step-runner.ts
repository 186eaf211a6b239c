import type { BuildNetwork } from '@gitops/config';
import type { BuildFailure } from '../errors.js';
import type { Workspace } from '../source/workspace.js';
import { type ProcessOptions, type ProcessResult, runProcess } from './process.js';

/** Runs one step's process: in a sandbox (src/sandbox), or here with BUILD_SANDBOX=off. */
export type StepRunner = (options: ProcessOptions) => Promise<ProcessResult>;

/** What the steps of one build may touch. */
export interface StepsOfBuild {
  workspace: Workspace;
  /** GITOPS_DATA_DIR, which holds the workspace. */
  dataRoot: string;
  /** Read too: the repository's mirror, whose objects the checkout borrows (`git clone --shared`). */
  readOnly: string[];
  network: BuildNetwork;
}

/** Where the steps of builds run: how the build log names it, their PATH, and the runner of each build's steps. */
export interface StepIsolation {
  readonly name: string;
  readonly path: string | undefined;
  prepare(build: StepsOfBuild): Promise<StepRunner>;
}

/** BUILD_SANDBOX=off: steps are the builder's own children, as its user, with its PATH, on its network. */
export const unsandboxed = (builderEnv: NodeJS.ProcessEnv): StepIsolation => ({
  name: 'without a sandbox (BUILD_SANDBOX=off)',
  path: builderEnv.PATH,
  prepare: async () => runProcess,
});

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
