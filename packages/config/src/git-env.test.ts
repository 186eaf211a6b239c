import { describe, expect, it } from 'vitest';
import { loadConfig } from './env.js';
import { gitAuthEnv, gitAuthorEnv, gitCredentials, gitSshEnv } from './git-env.js';

const spec = { ...gitAuthEnv, ...gitSshEnv, ...gitAuthorEnv('bot', 'bot@localhost') };

describe('the git variables', () => {
  it('give the credentials set, and the author with the service’s defaults', () => {
    const config = loadConfig(spec, { GIT_USERNAME: 'u', GIT_PASSWORD_FILE: '/p', GIT_SSH_KEY_FILE: '/k' });
    expect(gitCredentials(config)).toEqual({ username: 'u', passwordFile: '/p', sshKeyFile: '/k' });
    expect(config).toMatchObject({ GIT_AUTHOR_NAME: 'bot', GIT_AUTHOR_EMAIL: 'bot@localhost' });
    expect(gitCredentials(loadConfig(gitAuthEnv, {}))).toEqual({});
  });

  it('refuse combinations that cannot be meant, naming every variable at once', () => {
    const bad = (vars: Record<string, string>) => () => gitCredentials(loadConfig(spec, vars));
    expect(bad({ GIT_PASSWORD: 'p', GIT_PASSWORD_FILE: '/f' })).toThrow(
      /GIT_PASSWORD_FILE.*cannot be set together.*GIT_USERNAME.*is required/,
    );
    expect(bad({ GIT_USERNAME: 'u' })).toThrow(/GIT_PASSWORD or GIT_PASSWORD_FILE is required/);
    expect(bad({ GIT_SSH_KNOWN_HOSTS_FILE: '/h' })).toThrow(/GIT_SSH_KEY_FILE is required/);
  });
});
