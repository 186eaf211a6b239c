import {
  ConfigError,
  type ConfigOf,
  apiEnv,
  env,
  gitAuthEnv,
  gitAuthorEnv,
  gitSshEnv,
  serviceEnv,
  stageEnv,
} from '@gitops/config';

/** The config updater's environment: the common variables plus its own (docs/config-updater.md). */
export const updaterEnv = {
  ...serviceEnv(8094),
  ...stageEnv,
  ...apiEnv,
  // The builder's names: one set of git credentials serves source and config repositories.
  ...gitAuthEnv,
  ...gitSshEnv,
  ...gitAuthorEnv('gitops-platform', 'gitops-platform@localhost'),
  GIT_COMMITTER_NAME: env.optional().describe('committer of the config commits (default the author)'),
  GIT_COMMITTER_EMAIL: env.optional().describe('e-mail of that committer (default the author’s)'),
  GIT_SIGNING_KEY_FILE: env
    .optional()
    .describe(
      'an SSH private key: config commits are then signed (`gpg.format=ssh`), checkable with `git verify-commit`',
    ),
  CONFIG_PUSH_ATTEMPTS: env
    .int(10, 1, 100)
    .describe('attempts of one write whose push lost the race to another writer, before its job is retried'),
  CONFIG_RACE_BACKOFF: env
    .duration('50ms')
    .describe('the first delay after a lost push race; it doubles (jittered, at most 2s)'),
  CONFIG_GIT_TIMEOUT: env.duration('2m').describe('the longest one git command (fetch, push) may take'),
  CONFIG_CONCURRENCY: env
    .int(64, 1, 1024)
    .describe('jobs taken at once; the bumps of one repository among them are written in batches'),
  CONFIG_LOCK_TTL: env
    .duration('30s')
    .describe('a replica that stops renewing its lock on a config repository loses it after this long'),
  PROMOTION_APPROVERS: env
    .optional()
    .describe('API token names allowed to approve promotions, comma separated; unset: every token'),
};

export type UpdaterConfig = ConfigOf<typeof updaterEnv>;

/** The commit identity: the author, and the committer (the author unless set). */
export function commitIdentity(config: UpdaterConfig) {
  const author = { name: config.GIT_AUTHOR_NAME, email: config.GIT_AUTHOR_EMAIL };
  const committer = {
    name: config.GIT_COMMITTER_NAME ?? author.name,
    email: config.GIT_COMMITTER_EMAIL ?? author.email,
  };
  return { author, committer };
}

/**
 * Credentials belong in the GIT_* variables: a config repoURL carrying them would reach git's argv,
 * the events (`configRepoURL`) and the logs. Refused at start, naming the application, never the URL.
 */
export function refuseUrlCredentials(apps: Array<{ name: string; config: { repoURL: string } }>): void {
  const issues = apps
    .filter(({ config }) => {
      const url = URL.canParse(config.repoURL) ? new URL(config.repoURL) : undefined;
      // An SSH URL names its user (`ssh://git@host`); only HTTP(S) userinfo is a secret.
      return (
        url !== undefined && /^https?:$/.test(url.protocol) && (url.username !== '' || url.password !== '')
      );
    })
    .map(({ name }) => ({
      variable: 'GITOPS_APPS',
      problem: `application ${name}: spec.config.repoURL carries credentials; use GIT_USERNAME and GIT_PASSWORD(_FILE)`,
    }));
  if (issues.length > 0) throw new ConfigError(issues);
}
