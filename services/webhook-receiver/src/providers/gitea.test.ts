import { describe, expect, it } from 'vitest';
import { gitea } from './gitea.js';
import { hmacSha256Hex } from './signature.js';
import { expectIgnored, expectPush, fixtureBytes, request } from './test/support.js';

const HEADERS = { 'X-Gitea-Event': 'push', 'X-Gitea-Delivery': 'f6266f16-1bf3-46a5-9ea4-602e06ead473' };

describe('gitea parse of the documented payload', () => {
  it('turns the documented push event into a push, its head commit taken from the commits list', () => {
    const push = expectPush(gitea.parse(request(fixtureBytes('gitea/push.json'), HEADERS)), 'gitea');
    expect(push).toMatchObject({
      deliveryId: 'f6266f16-1bf3-46a5-9ea4-602e06ead473',
      ref: 'refs/heads/develop',
      branch: 'develop',
      before: '28e1879d029cb852e4844d9c718537df08844e03',
      after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      pusher: { name: 'gitea', email: 'someone@gitea.io' },
    });
    expect(push.repoURLs).toEqual([
      'http://localhost:3000/gitea/webhooks.git',
      'http://localhost:3000/gitea/webhooks',
      'ssh://gitea@localhost:2222/gitea/webhooks.git',
    ]);
    expect(push.headCommit).toEqual({
      sha: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      message: 'Webhooks Yay!',
      author: { name: 'Gitea', email: 'someone@gitea.io' },
      timestamp: '2017-03-13T13:52:11-04:00',
    });
  });

  it('reads Forgejo’s X-Forgejo-* headers', () => {
    const headers = { 'X-Forgejo-Event': 'push', 'X-Forgejo-Delivery': 'fj-1' };
    const push = expectPush(gitea.parse(request(fixtureBytes('gitea/push.json'), headers)), 'gitea');
    expect(push.deliveryId).toBe('fj-1');
  });

  it('ignores a tag push', () => {
    expectIgnored(gitea.parse(request(fixtureBytes('gitea/tag-push.json'), HEADERS)), 'tag push');
  });

  it('ignores a branch deletion', () => {
    expectIgnored(
      gitea.parse(request(fixtureBytes('gitea/branch-deletion.json'), HEADERS)),
      'branch deletion',
    );
  });

  it('ignores the separate create event Gitea sends for a new branch or tag', () => {
    const headers = { ...HEADERS, 'X-Gitea-Event': 'create' };
    expectIgnored(gitea.parse(request(fixtureBytes('gitea/push.json'), headers)), 'event create');
  });
});

describe('gitea form-encoded deliveries', () => {
  const json = fixtureBytes('gitea/push.json').toString('utf8');
  const form = Buffer.from(new URLSearchParams({ payload: json }).toString());
  const secret = 'gitea secret';
  const formRequest = (signature: string) =>
    request(form, { ...HEADERS, 'X-Gitea-Signature': signature }, 'application/x-www-form-urlencoded');

  it('verifies the signature over the JSON payload, which is what Gitea signs, and parses the form', () => {
    const req = formRequest(hmacSha256Hex(secret, json));
    expect(gitea.verify(req, secret)).toBe(true);
    expect(expectPush(gitea.parse(req), 'gitea').after).toBe('bffeb74224043ba2feb48d137756c8a9331c449a');
  });

  it('rejects a signature over the raw form body', () => {
    expect(gitea.verify(formRequest(hmacSha256Hex(secret, form)), secret)).toBe(false);
  });
});
