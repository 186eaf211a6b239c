import { ConfigError, type ConfigOf, env, serviceEnv } from '@gitops/config';
import type { GitCredentials } from './source/git-access.js';

/** The builder's environment: the common variables plus its own (docs/builder.md). */
export const builderEnv = {
  ...serviceEnv(8092),
  BUILDER_CONCURRENCY: env.int(1, 1, 64),
  BUILD_TIMEOUT: env.duration('30m'),
  STEP_TIMEOUT: env.duration('10m'),
  BUILD_LOG_MAX_BYTES: env.bytes('10MiB'),
  BUILD_CONTEXT_MAX_BYTES: env.bytes('500MiB'),
  /** Where base images come from; the image drivers read it (and REGISTRY_USERNAME/PASSWORD) themselves. */
  REGISTRY_URL: env.url('http://127.0.0.1:5000', ['http:', 'https:']),
  GIT_USERNAME: env.optional(),
  GIT_PASSWORD: env.optional(),
  GIT_PASSWORD_FILE: env.optional(),
  GIT_SSH_KEY_FILE: env.optional(),
  GIT_SSH_KNOWN_HOSTS_FILE: env.optional(),
};

export type BuilderConfig = ConfigOf<typeof builderEnv>;

/**
 * The git credentials, refusing combinations that cannot be meant (a user without a password, two
 * passwords) at start, in the same one-line form as any other configuration problem.
 */
export function gitCredentials(config: BuilderConfig): GitCredentials {
  const issues = [];
  if (config.GIT_PASSWORD && config.GIT_PASSWORD_FILE) {
    issues.push({ variable: 'GIT_PASSWORD_FILE', problem: 'cannot be set together with GIT_PASSWORD' });
  }
  if (!config.GIT_USERNAME && (config.GIT_PASSWORD || config.GIT_PASSWORD_FILE)) {
    issues.push({ variable: 'GIT_USERNAME', problem: 'is required with GIT_PASSWORD or GIT_PASSWORD_FILE' });
  }
  if (config.GIT_USERNAME && !config.GIT_PASSWORD && !config.GIT_PASSWORD_FILE) {
    issues.push({ variable: 'GIT_PASSWORD', problem: 'or GIT_PASSWORD_FILE is required with GIT_USERNAME' });
  }
  if (config.GIT_SSH_KNOWN_HOSTS_FILE && !config.GIT_SSH_KEY_FILE) {
    issues.push({ variable: 'GIT_SSH_KEY_FILE', problem: 'is required with GIT_SSH_KNOWN_HOSTS_FILE' });
  }
  if (issues.length > 0) throw new ConfigError(issues);
  const credentials: GitCredentials = {};
  if (config.GIT_USERNAME) credentials.username = config.GIT_USERNAME;
  if (config.GIT_PASSWORD) credentials.password = config.GIT_PASSWORD;
  if (config.GIT_PASSWORD_FILE) credentials.passwordFile = config.GIT_PASSWORD_FILE;
  if (config.GIT_SSH_KEY_FILE) credentials.sshKeyFile = config.GIT_SSH_KEY_FILE;
  if (config.GIT_SSH_KNOWN_HOSTS_FILE) credentials.sshKnownHostsFile = config.GIT_SSH_KNOWN_HOSTS_FILE;
  return credentials;
}
