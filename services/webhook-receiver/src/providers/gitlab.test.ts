import { describe, expect, it } from 'vitest';
import { gitlab } from './gitlab.js';
import { appErrorOf, expectIgnored, expectPush, fixtureBytes, fixtureJson, request } from './test/support.js';

const PUSH_HEADERS = { 'X-Gitlab-Event': 'Push Hook', 'X-Gitlab-Event-UUID': 'e-1' };
const parse = (body: Buffer | object, headers: Record<string, string> = PUSH_HEADERS) =>
  gitlab.parse(request(body, headers));

describe('gitlab parse of the documented payloads', () => {
  it('turns the documented push event into a push of its checkout sha', () => {
    const push = expectPush(parse(fixtureBytes('gitlab/push.json')), 'gitlab');
    expect(push).toMatchObject({
      deliveryId: 'e-1',
      ref: 'refs/heads/master',
      branch: 'master',
      before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
      after: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      pusher: { name: 'John Smith', email: 'john@example.com' },
    });
    expect(push.repoURLs).toEqual([
      'http://example.com/mike/diaspora.git',
      'git@example.com:mike/diaspora.git',
      'http://example.com/mike/diaspora',
    ]);
    expect(push.headCommit).toEqual({
      sha: 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7',
      message: 'fixed readme',
      author: { name: 'GitLab dev user', email: 'gitlabdev@dv6700.(none)' },
      timestamp: '2012-01-03T23:36:29+02:00',
    });
  });

  it('ignores the documented tag push event as a tag push, still naming the repository', () => {
    const headers = { 'X-Gitlab-Event': 'Tag Push Hook', 'X-Gitlab-Event-UUID': 'e-2' };
    const delivery = expectIgnored(parse(fixtureBytes('gitlab/tag-push.json'), headers), 'tag push');
    expect(delivery).toMatchObject({ deliveryId: 'e-2' });
    expect(delivery.repoURLs).toContain('http://example.com/jsmith/example.git');
  });

  it('ignores a push whose after is all zeros as a branch deletion', () => {
    expectIgnored(parse(fixtureBytes('gitlab/branch-deletion.json')), 'branch deletion');
  });

  it('ignores other events, naming them', () => {
    const headers = { 'X-Gitlab-Event': 'Merge Request Hook' };
    expectIgnored(parse(fixtureBytes('gitlab/push.json'), headers), 'event Merge Request Hook');
  });
});

describe('gitlab head commit and delivery id', () => {
  const payload = fixtureJson('gitlab/push.json');
  const commits = payload.commits as object[];

  it('falls back to the last listed commit when none has the checkout sha', () => {
    const push = expectPush(parse({ ...payload, commits: commits.slice(0, 1) }), 'gitlab');
    expect(push.headCommit.sha).toBe('b6568db1bc1dcd7f8b4d5a946b0b91f9dacd7327');
  });

  it('uses the pushed sha and the pusher when the push lists no commits', () => {
    const push = expectPush(parse({ ...payload, commits: [] }), 'gitlab');
    expect(push.headCommit).toEqual({ sha: push.after, message: '', author: push.pusher });
  });

  it('takes Idempotency-Key when X-Gitlab-Event-UUID is absent', () => {
    const headers = { 'X-Gitlab-Event': 'Push Hook', 'Idempotency-Key': 'idem-1' };
    expect(expectPush(parse(payload, headers), 'gitlab').deliveryId).toBe('idem-1');
  });

  it('derives a delivery id from the body without either header: stable, and distinct for another body', () => {
    const headers = { 'X-Gitlab-Event': 'Push Hook' };
    const id = (body: object) => expectPush(parse(body, headers), 'gitlab').deliveryId;
    expect(id(payload)).toBe(id(payload));
    expect(id(payload)).not.toBe(id({ ...payload, before: '95790bf891e76fee5e1747ab589903a6a1f80f23' }));
  });

  it('answers 415 for a form body, which GitLab never sends', () => {
    const req = request('payload={}', PUSH_HEADERS, 'application/x-www-form-urlencoded');
    expect(appErrorOf(() => gitlab.parse(req))).toMatchObject({ statusCode: 415 });
  });
});
