/**
 * Variables of the calling process that would point git at another repository, give it an identity
 * or let it ask someone for a password: a developer's shell or a CI runner sets some of them, and
 * none of them may decide what git does here.
 */
const LEAKING_VARIABLES = [
  'GIT_DIR',
  'GIT_WORK_TREE',
  'GIT_INDEX_FILE',
  'GIT_OBJECT_DIRECTORY',
  'GIT_ALTERNATE_OBJECT_DIRECTORIES',
  'GIT_COMMON_DIR',
  'GIT_NAMESPACE',
  'GIT_PREFIX',
  'GIT_AUTHOR_NAME',
  'GIT_AUTHOR_EMAIL',
  'GIT_AUTHOR_DATE',
  'GIT_COMMITTER_NAME',
  'GIT_COMMITTER_EMAIL',
  'GIT_COMMITTER_DATE',
  'GIT_ASKPASS',
  'SSH_ASKPASS',
];

/**
 * `base` with only the repository's own configuration applying: no system or global git config (a
 * host's `credential.helper`, `commit.gpgsign` or `core.hooksPath` never leaks in), and git never
 * waits for a password on a terminal. Config passed explicitly through `GIT_CONFIG_COUNT` stays.
 */
export function hermeticEnv(base: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of LEAKING_VARIABLES) delete env[name];
  return { ...env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };
}

/**
 * The variables that add `entries` to git's configuration through GIT_CONFIG_COUNT, numbered after
 * any entries `env` already has, so both apply. Values never show in `ps` the way `-c` would.
 */
export function configEntries(env: NodeJS.ProcessEnv, entries: [string, string][]): Record<string, string> {
  const first = Number(env.GIT_CONFIG_COUNT) || 0;
  const added: Record<string, string> = { GIT_CONFIG_COUNT: String(first + entries.length) };
  entries.forEach(([key, value], i) => {
    added[`GIT_CONFIG_KEY_${first + i}`] = key;
    added[`GIT_CONFIG_VALUE_${first + i}`] = value;
  });
  return added;
}
