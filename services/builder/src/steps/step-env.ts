import type { PlannedStep } from '../plan/types.js';
import type { DeclaredEnv } from './declared-env.js';

/** Where a step finds programs when the sandbox is off and the builder's own PATH is unset. */
const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';

export interface StepEnvContext {
  /** The PATH of a step: the sandbox's, or the builder's own with BUILD_SANDBOX=off. */
  path?: string | undefined;
  /** The workspace's own HOME and TMPDIR, so tools write caches and temp files inside it. */
  home: string;
  tmp: string;
  app: string;
  pipelineId: string;
  commit: string;
  branch: string;
  ref: string;
}

/**
 * A step's environment, and nothing else of the builder's: PATH, then the repository's `env`
 * (`.gitops.yaml`), then what the application file declares (`spec.build.env`, then its secrets),
 * which the repository cannot override, then what the builder fixes (HOME, TMPDIR, CI, GITOPS_*).
 * No variable of the platform's own (GIT_PASSWORD, REGISTRY_PASSWORD, NATS_URL, …) is ever in it.
 */
export function stepEnvironment(
  declared: DeclaredEnv,
  context: StepEnvContext,
  step: PlannedStep,
): Record<string, string> {
  return {
    PATH: context.path ?? FALLBACK_PATH,
    ...step.env,
    ...declared.env,
    ...declared.secrets,
    HOME: context.home,
    TMPDIR: context.tmp,
    CI: 'true',
    GITOPS_APP: context.app,
    GITOPS_PIPELINE_ID: context.pipelineId,
    GITOPS_COMMIT: context.commit,
    GITOPS_BRANCH: context.branch,
    GITOPS_REF: context.ref,
    GITOPS_STEP: step.name,
  };
}
