import type { GITOPS_FILE } from './gitops-file.js';

export interface PlannedStep {
  name: string;
  /** A shell command line (`sh -c`). */
  run: string;
  /** The file's top-level env, overridden by the step's own. */
  env: Record<string, string>;
  /** Relative to the repository root. */
  workdir: string;
  /** Unset: STEP_TIMEOUT. */
  timeoutMs?: number;
}

/** What a build runs and where it looks for reports, from `.gitops.yaml` or the defaults. */
export interface BuildPlan {
  from: typeof GITOPS_FILE | 'defaults';
  steps: PlannedStep[];
  /** Coverage report candidates: the first that exists is read. */
  coverage: string[];
  /** JUnit XML reports; every one that exists is read. */
  junit: string[];
  /** The build's own deadline, never past BUILD_TIMEOUT. */
  timeoutMs?: number;
}
