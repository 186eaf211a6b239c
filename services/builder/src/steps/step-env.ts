import type { PlannedStep } from '../plan/types.js';

/**
 * What a step inherits from the builder's environment: how to find programs, the locale, proxies
 * and CA certificates. Nothing else, and above all no credential (GIT_PASSWORD, REGISTRY_PASSWORD):
 * a step runs the repository's code.
 */
export const PASSED_THROUGH = [
  'PATH',
  'LANG',
  'LC_ALL',
  'TZ',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
  'NODE_EXTRA_CA_CERTS',
  'SSL_CERT_FILE',
  'npm_config_registry',
  'NPM_CONFIG_REGISTRY',
];

export interface StepEnvContext {
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
 * A step's environment: the passed-through variables, then the step's `env`, then what the
 * builder fixes (HOME, TMPDIR, CI, GITOPS_*), which a step cannot override.
 */
export function stepEnvironment(
  builderEnv: NodeJS.ProcessEnv,
  context: StepEnvContext,
  step: PlannedStep,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of PASSED_THROUGH) {
    const value = builderEnv[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  return {
    ...env,
    ...step.env,
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
