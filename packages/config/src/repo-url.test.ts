import { describe, expect, it } from 'vitest';
import { normaliseRepoUrl, tryNormaliseRepoUrl } from './repo-url.js';

describe('normaliseRepoUrl', () => {
  it.each([
    'https://github.com/Acme/Hello.git',
    'https://github.com/acme/hello',
    'https://github.com/acme/hello/',
    'https://user:token@github.com/acme/hello.git',
    'https://github.com:443/acme/hello.git',
    'ssh://git@github.com/acme/hello.git',
    'ssh://git@github.com:22/acme/hello.git',
    'git@github.com:acme/hello.git',
    'git@GitHub.com:acme/hello',
    'git://github.com/acme/hello.git',
  ])('reads %s as github.com/acme/hello', (url) => {
    expect(normaliseRepoUrl(url)).toBe('github.com/acme/hello');
  });

  it('keeps an explicit http port, since two servers on one host are two places', () => {
    expect(normaliseRepoUrl('http://127.0.0.1:8181/acme/hello.git')).toBe('127.0.0.1:8181/acme/hello');
    expect(normaliseRepoUrl('http://127.0.0.1:8181/acme/hello.git')).not.toBe(
      normaliseRepoUrl('http://127.0.0.1:9191/acme/hello.git'),
    );
  });

  it('keeps nested groups (GitLab subgroups)', () => {
    expect(normaliseRepoUrl('https://gitlab.com/group/sub/project.git')).toBe('gitlab.com/group/sub/project');
  });

  it.each(['', 'not a url', 'https://github.com/', 'ftp://example.com/acme/hello'])('refuses %j', (url) => {
    expect(() => normaliseRepoUrl(url)).toThrow(/not a git repository URL/);
    expect(tryNormaliseRepoUrl(url)).toBeUndefined();
  });
});
