import type { Application } from '@gitops/config';
import type { Logger } from '@gitops/telemetry';
import { type BuilderConfig, builderEnv } from '../config.js';
import { type StepIsolation, unsandboxed } from '../steps/step-runner.js';
import { Sandbox } from './sandbox.js';

/** The sandbox's limits from the builder's configuration. */
export const stepLimits = (config: BuilderConfig) => ({
  workspaceBytes: config.BUILD_WORKSPACE_MAX,
  memoryBytes: config.BUILD_MEMORY_MAX,
  cpus: config.BUILD_CPUS,
  processes: config.BUILD_PROCESSES_MAX,
});

/**
 * Where this builder runs build steps: a sandbox, checked at start (the builder refuses to start
 * where bwrap cannot make one), or with BUILD_SANDBOX=off the builder itself, said loudly.
 */
export async function stepIsolation(
  config: BuilderConfig,
  env: NodeJS.ProcessEnv,
  logger: Logger,
): Promise<StepIsolation> {
  if (config.BUILD_SANDBOX === 'off') {
    logger.warn(
      'BUILD_SANDBOX=off: build steps run WITHOUT a sandbox, as the builder itself, and can read its secrets, write anywhere it can and reach NATS and Redis: for development only',
    );
    return unsandboxed(env);
  }
  const sandbox = await Sandbox.start(stepLimits(config), config.GITOPS_DATA_DIR);
  logger.info({ limits: sandbox.enforcement }, 'build steps run in a bubblewrap sandbox');
  return sandbox;
}

/** Variables no application may hand to its steps: the builder's own configuration and every webhook secret. */
export const platformVariables = (apps: Application[]): ReadonlySet<string> =>
  new Set([
    ...Object.keys(builderEnv),
    'WEBHOOK_SECRET',
    ...apps.flatMap((app) => (app.webhook.secretEnv ? [app.webhook.secretEnv] : [])),
  ]);
