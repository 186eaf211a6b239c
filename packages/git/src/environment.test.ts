import { describe, expect, it } from 'vitest';
import { configEntries, hermeticEnv } from './environment.js';

describe('hermeticEnv', () => {
  it('turns off system and global git config and terminal prompts', () => {
    const env = hermeticEnv({ PATH: '/usr/bin' });
    expect(env).toMatchObject({
      PATH: '/usr/bin',
      GIT_CONFIG_NOSYSTEM: '1',
      GIT_CONFIG_GLOBAL: '/dev/null',
      GIT_TERMINAL_PROMPT: '0',
    });
  });

  it('drops variables that would choose another repository, an identity or a password prompt', () => {
    const env = hermeticEnv({
      GIT_DIR: '/elsewhere',
      GIT_AUTHOR_NAME: 'Dev',
      GIT_ASKPASS: '/usr/bin/askpass',
    });
    expect(env).not.toHaveProperty('GIT_DIR');
    expect(env).not.toHaveProperty('GIT_AUTHOR_NAME');
    expect(env).not.toHaveProperty('GIT_ASKPASS');
  });

  it('leaves the base environment untouched', () => {
    const base = { GIT_DIR: '/elsewhere' };
    hermeticEnv(base);
    expect(base).toEqual({ GIT_DIR: '/elsewhere' });
  });
});

describe('configEntries', () => {
  it('numbers new entries after those the environment already passes', () => {
    const env = { GIT_CONFIG_COUNT: '1', GIT_CONFIG_KEY_0: 'http.proxy', GIT_CONFIG_VALUE_0: 'http://proxy' };
    expect(configEntries(env, [['gpg.format', 'ssh']])).toEqual({
      GIT_CONFIG_COUNT: '2',
      GIT_CONFIG_KEY_1: 'gpg.format',
      GIT_CONFIG_VALUE_1: 'ssh',
    });
  });

  it('starts at 0 without earlier entries', () => {
    expect(configEntries({}, [['a.b', 'c']])).toEqual({
      GIT_CONFIG_COUNT: '1',
      GIT_CONFIG_KEY_0: 'a.b',
      GIT_CONFIG_VALUE_0: 'c',
    });
  });
});
