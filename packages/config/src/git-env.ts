import { ConfigError, env } from './env.js';

/** HTTP basic credentials of the git repositories a service reads or writes (docs/security.md). */
export const gitAuthEnv = {
  GIT_USERNAME: env.optional().describe('HTTP basic user for git repositories'),
  GIT_PASSWORD: env.optional().describe('password for `GIT_USERNAME`; never logged'),
  GIT_PASSWORD_FILE: env
    .optional()
    .describe('a file holding that password instead, read at every git operation'),
};

/** The SSH key for `ssh://` and `git@host:` repositories. */
export const gitSshEnv = {
  GIT_SSH_KEY_FILE: env.optional().describe('SSH private key for `ssh://` and `git@host:` repositories'),
  GIT_SSH_KNOWN_HOSTS_FILE: env
    .optional()
    .describe('known hosts file for that key (host keys are always checked)'),
};

/** The author of the commits a service writes, with its own defaults. */
export const gitAuthorEnv = (name: string, email: string) => ({
  GIT_AUTHOR_NAME: env.string(name).describe('author of the commits this service writes'),
  GIT_AUTHOR_EMAIL: env.string(email).describe('e-mail of that author'),
});

type Optional = string | undefined;

/** The variables of {@link gitAuthEnv}, and of {@link gitSshEnv} where a service has them. */
export interface GitEnvConfig {
  GIT_USERNAME: Optional;
  GIT_PASSWORD: Optional;
  GIT_PASSWORD_FILE: Optional;
  GIT_SSH_KEY_FILE?: Optional;
  GIT_SSH_KNOWN_HOSTS_FILE?: Optional;
}

/**
 * The git credentials (@gitops/git's `GitCredentials`), refusing combinations that cannot be meant
 * (two passwords, a user without a password, known hosts without a key) at start, in the same
 * one-line form as any other configuration problem.
 */
export function gitCredentials(config: GitEnvConfig) {
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
  return {
    ...(config.GIT_USERNAME ? { username: config.GIT_USERNAME } : {}),
    ...(config.GIT_PASSWORD ? { password: config.GIT_PASSWORD } : {}),
    ...(config.GIT_PASSWORD_FILE ? { passwordFile: config.GIT_PASSWORD_FILE } : {}),
    ...(config.GIT_SSH_KEY_FILE ? { sshKeyFile: config.GIT_SSH_KEY_FILE } : {}),
    ...(config.GIT_SSH_KNOWN_HOSTS_FILE ? { sshKnownHostsFile: config.GIT_SSH_KNOWN_HOSTS_FILE } : {}),
  };
}
