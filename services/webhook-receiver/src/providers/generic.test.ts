import { describe, expect, it } from 'vitest';
import { generic } from './generic.js';
import { appErrorOf, expectIgnored, expectPush, request } from './test/support.js';

const AFTER = '6113728f27ae82c7b1a177c8d03f9e96e0adf246';
const BEFORE = '0d1a26e67d8f5eaf1f6ba5c57fc3c7d91ac0fd1c';
const minimal = {
  repoURL: 'http://127.0.0.1:8181/acme/hello.git',
  ref: 'refs/heads/main',
  before: BEFORE,
  after: AFTER,
};
const parse = (body: object) => generic.parse(request(body));

describe('generic parse', () => {
  it('takes every field the post-receive hook sends', () => {
    const author = { name: 'Ada', email: 'ada@example.com' };
    const headCommit = { sha: AFTER, message: 'add hello', author, timestamp: '2025-01-02T03:04:05Z' };
    const body = {
      ...minimal,
      deliveryId: 'hook-42',
      pusher: { name: 'git', email: 'git@example.com' },
      headCommit,
    };
    expect(expectPush(parse(body), 'generic')).toEqual({
      deliveryId: 'hook-42',
      repoURLs: [minimal.repoURL],
      ref: 'refs/heads/main',
      branch: 'main',
      before: BEFORE,
      after: AFTER,
      pusher: { name: 'git', email: 'git@example.com' },
      headCommit,
    });
  });

  it('fills an absent pusher and head commit from what it has', () => {
    const push = expectPush(parse(minimal), 'generic');
    expect(push.pusher).toEqual({ name: '', email: '' });
    expect(push.headCommit).toEqual({ sha: AFTER, message: '', author: { name: '', email: '' } });
  });

  it('names the head commit’s author by the pusher when the commit has none', () => {
    const pusher = { name: 'git', email: 'git@example.com' };
    const push = expectPush(parse({ ...minimal, pusher, headCommit: { message: 'm' } }), 'generic');
    expect(push.headCommit).toEqual({ sha: AFTER, message: 'm', author: pusher });
  });

  it('derives the delivery id from the ref update: stable, and distinct for another update', () => {
    const id = (body: object) => expectPush(parse(body), 'generic').deliveryId;
    expect(id(minimal)).toBe(id({ ...minimal, pusher: { name: 'someone else', email: '' } }));
    expect(id(minimal)).not.toBe(id({ ...minimal, before: AFTER, after: BEFORE }));
  });

  it('ignores a tag push and a branch deletion', () => {
    expectIgnored(parse({ ...minimal, ref: 'refs/tags/v1' }), 'tag push');
    expectIgnored(parse({ ...minimal, after: '0'.repeat(40) }), 'branch deletion');
  });

  it.each(['repoURL', 'ref', 'before', 'after'])('answers 400 naming %s when it is missing', (field) => {
    const body: Record<string, unknown> = { ...minimal };
    delete body[field];
    const err = appErrorOf(() => parse(body));
    expect(err).toMatchObject({ code: 'GITOPS_WEBHOOK_MALFORMED', statusCode: 400 });
    expect(err.message).toContain(`"${field}"`);
  });

  it('answers 400 for a repoURL that is not a repository URL', () => {
    expect(appErrorOf(() => parse({ ...minimal, repoURL: 'not a url' }))).toMatchObject({ statusCode: 400 });
  });
});
