import { gitCredentials, loadConfig } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { commitIdentity, refuseUrlCredentials, updaterEnv } from './config.js';

describe('the config updater’s environment', () => {
  it('defaults to port 8094, the platform identity and bounded push races', () => {
    const config = loadConfig(updaterEnv, {});
    expect(config).toMatchObject({
      PORT: 8094,
      CONFIG_PUSH_ATTEMPTS: 10,
      CONFIG_RACE_BACKOFF: 50,
      CONFIG_CONCURRENCY: 64,
    });
    expect(commitIdentity(config)).toEqual({
      author: { name: 'gitops-platform', email: 'gitops-platform@localhost' },
      committer: { name: 'gitops-platform', email: 'gitops-platform@localhost' },
    });
    expect(gitCredentials(config)).toEqual({});
  });

  it('refuses credentials that cannot be meant, naming each variable', () => {
    const config = loadConfig(updaterEnv, { GIT_PASSWORD: 'secret-password' });
    expect(() => gitCredentials(config)).toThrow(/GIT_USERNAME/);
    const both = loadConfig(updaterEnv, { GIT_USERNAME: 'u', GIT_PASSWORD: 'p', GIT_PASSWORD_FILE: '/f' });
    expect(() => gitCredentials(both)).toThrow(/GIT_PASSWORD_FILE/);
  });

  it('names every bad variable at once', () => {
    expect(() => loadConfig(updaterEnv, { CONFIG_PUSH_ATTEMPTS: '0', CONFIG_RACE_BACKOFF: 'soon' })).toThrow(
      /CONFIG_PUSH_ATTEMPTS.*CONFIG_RACE_BACKOFF/,
    );
  });

  it('refuses a config repository URL with credentials, without repeating them', () => {
    const apps = [
      { name: 'hello', config: { repoURL: 'https://bot:s3cret@git.example.com/acme/hello-config.git' } },
    ];
    expect(() => refuseUrlCredentials(apps)).toThrow(
      /application hello: spec.config.repoURL carries credentials/,
    );
    expect(() => refuseUrlCredentials(apps)).not.toThrow(/s3cret/);
    expect(() =>
      refuseUrlCredentials([{ name: 'ok', config: { repoURL: 'git@github.com:acme/x.git' } }]),
    ).not.toThrow();
  });
});
