import { AppError, classify } from '@gitops/errors';
import { describe, expect, it } from 'vitest';
import { GitError, failureFromStderr, subcommandOf } from './git-error.js';

describe('GitError', () => {
  it('names the subcommand after global options, and git’s last stderr lines without hints', () => {
    const err = new GitError({
      args: ['-c', 'advice.detachedHead=false', '--git-dir', '/m.git', 'fetch', 'origin'],
      failure: 'failed',
      stderr: 'warning: one\nwarning: two\nhint: try again later\nfatal: the remote end hung up\n',
      exitCode: 128,
    });
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('GITOPS_GIT_FAILED');
    expect(err.command).toBe('fetch');
    expect(err.message).toBe('git fetch failed: warning: one\nwarning: two\nfatal: the remote end hung up');
  });

  it('keeps at most the last five lines of stderr', () => {
    const stderr = ['1', '2', '3', '4', '5', '6', '7'].map((n) => `line ${n}`).join('\n');
    const err = new GitError({ args: ['push'], failure: 'failed', stderr });
    expect(err.stderr).toBe('line 3\nline 4\nline 5\nline 6\nline 7');
  });

  it('redacts the run’s secrets and URL credentials from the message, stderr and arguments', () => {
    const err = new GitError({
      args: ['clone', 'https://bot:t0ken@git.example/acme/app.git', '/w'],
      failure: 'denied',
      stderr: "fatal: Authentication failed for 'https://bot:t0ken@git.example/acme/app.git/' (s3cret)",
      secrets: ['s3cret'],
    });
    for (const text of [err.message, err.stderr, ...err.args]) {
      expect(text).not.toContain('t0ken');
      expect(text).not.toContain('s3cret');
    }
    expect(err.message).toContain('https://[redacted]@git.example/acme/app.git/');
  });

  it('says the exit code when git printed nothing', () => {
    expect(new GitError({ args: ['status'], failure: 'failed', exitCode: 1 }).message).toBe(
      'git status failed: exit code 1',
    );
  });

  it('is retried when git failed or timed out, dropped when the remote lacks the object or refused us', () => {
    const of = (failure: 'failed' | 'timeout' | 'not-found' | 'denied' | 'aborted') =>
      classify(new GitError({ args: ['fetch'], failure }));
    expect([of('failed'), of('timeout')]).toEqual(['retry', 'retry']);
    expect([of('not-found'), of('denied'), of('aborted')]).toEqual(['drop', 'drop', 'drop']);
  });
});

describe('failureFromStderr', () => {
  it('tells a missing object from refused credentials from anything else', () => {
    expect(failureFromStderr('fatal: remote error: upload-pack: not our ref ffff')).toBe('not-found');
    expect(failureFromStderr("fatal: couldn't find remote ref refs/heads/gone")).toBe('not-found');
    expect(failureFromStderr("fatal: Authentication failed for 'http://h/r.git/'")).toBe('denied');
    expect(failureFromStderr('fatal: unable to access: The requested URL returned error: 403')).toBe(
      'denied',
    );
    expect(failureFromStderr('fatal: unable to access: Failed to connect to h port 80')).toBe('failed');
  });
});

describe('subcommandOf', () => {
  it('skips -C and -c with their values', () => {
    expect(subcommandOf(['-C', '/w', '-c', 'a=b', '--no-pager', 'log', '-1'])).toBe('log');
  });
});
