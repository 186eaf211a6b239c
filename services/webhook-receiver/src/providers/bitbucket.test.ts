import { describe, expect, it } from 'vitest';
import { bitbucket } from './bitbucket.js';
import { appErrorOf, expectIgnored, expectPush, fixtureBytes, fixtureJson, request } from './test/support.js';

const cloud = (body: Buffer | object, headers: Record<string, string> = { 'X-Request-UUID': 'r-1' }) =>
  bitbucket.parse(request(body, { 'X-Event-Key': 'repo:push', ...headers }));
const server = (body: Buffer | object, event = 'repo:refs_changed') =>
  bitbucket.parse(request(body, { 'X-Event-Key': event, 'X-Request-Id': 'dc-1' }));

describe('bitbucket cloud repo:push', () => {
  it('turns the documented payload into a push of its new branch target', () => {
    const push = expectPush(cloud(fixtureBytes('bitbucket-cloud/repo-push.json')), 'bitbucket');
    expect(push).toMatchObject({
      deliveryId: 'r-1',
      ref: 'refs/heads/name-of-branch',
      branch: 'name-of-branch',
      before: '1e65c05c1d5171631d92438a13901ca7dae9618c',
      after: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
      pusher: { name: 'Emma', email: '' },
    });
    expect(push.repoURLs).toEqual([
      'https://api.bitbucket.org/bitbucket/bitbucket',
      'https://bitbucket.org/team_name/repo_name',
    ]);
    expect(push.headCommit).toEqual({
      sha: '709d658dc5b6d6afcd46049c2f332ee3f515a67d',
      message: 'new commit message\n',
      author: { name: 'Emma', email: 'emma@example.com' },
      timestamp: '2015-06-09T03:34:49+00:00',
    });
  });

  it('ignores a tag push', () => {
    expectIgnored(cloud(fixtureBytes('bitbucket-cloud/tag-push.json')), 'tag push');
  });

  it('ignores a branch deletion (new is null)', () => {
    expectIgnored(cloud(fixtureBytes('bitbucket-cloud/branch-deletion.json')), 'branch deletion');
  });

  it('takes the first branch update of a push that also changed a tag', () => {
    const tag = (fixtureJson('bitbucket-cloud/tag-push.json').push as { changes: object[] }).changes[0];
    const payload = fixtureJson('bitbucket-cloud/repo-push.json');
    const branch = (payload.push as { changes: object[] }).changes[0];
    const push = expectPush(cloud({ ...payload, push: { changes: [tag, branch] } }), 'bitbucket');
    expect(push.branch).toBe('name-of-branch');
  });

  it('names the author by the linked account when the commit carries no raw author', () => {
    const payload = fixtureJson('bitbucket-cloud/repo-push.json');
    const text = JSON.stringify(payload).replaceAll('"raw":"Emma <emma@example.com>",', '');
    expect(expectPush(cloud(JSON.parse(text)), 'bitbucket').headCommit.author).toEqual({
      name: 'Emma',
      email: '',
    });
  });

  it('derives the delivery id from X-Hook-UUID and the body when X-Request-UUID is absent', () => {
    const body = fixtureBytes('bitbucket-cloud/repo-push.json');
    const id = (hook: string) => expectPush(cloud(body, { 'X-Hook-UUID': hook }), 'bitbucket').deliveryId;
    expect(id('hook-a')).toBe(id('hook-a'));
    expect(id('hook-a')).not.toBe(id('hook-b'));
  });

  it('answers 400 naming push.changes when it is missing', () => {
    const err = appErrorOf(() => cloud({ actor: {}, repository: {} }));
    expect(err).toMatchObject({ statusCode: 400, message: /push\.changes/ });
  });
});

describe('bitbucket data center repo:refs_changed', () => {
  it('turns the documented payload into a push with the actor as pusher and author', () => {
    const push = expectPush(server(fixtureBytes('bitbucket-server/refs-changed.json')), 'bitbucket');
    const actor = { name: 'Administrator', email: 'admin@example.com' };
    expect(push).toEqual({
      deliveryId: 'dc-1',
      repoURLs: [
        'ssh://git@bitbucket.example.com:7999/proj/repository.git',
        'https://bitbucket.example.com/scm/proj/repository.git',
      ],
      ref: 'refs/heads/master',
      branch: 'master',
      before: 'ecddabb624f6f5ba43816f5926e580a5f680a932',
      after: '178864a7d521b6f5e720b386b2c2b0ef8563e0dc',
      pusher: actor,
      headCommit: { sha: '178864a7d521b6f5e720b386b2c2b0ef8563e0dc', message: '', author: actor },
    });
  });

  it('ignores a tag push', () => {
    expectIgnored(server(fixtureBytes('bitbucket-server/tag-push.json')), 'tag push');
  });

  it('ignores a branch deletion', () => {
    expectIgnored(server(fixtureBytes('bitbucket-server/branch-deletion.json')), 'branch deletion');
  });

  it('answers 400 for a payload without clone links, since no application could match it', () => {
    const payload = fixtureJson('bitbucket-server/refs-changed.json');
    const { links: _links, ...repository } = payload.repository as Record<string, unknown>;
    expect(appErrorOf(() => server({ ...payload, repository }))).toMatchObject({
      statusCode: 400,
      message: /no repository URL/,
    });
  });

  it('answers 400 naming the change field that is missing', () => {
    const payload = fixtureJson('bitbucket-server/refs-changed.json');
    const [change] = payload.changes as Record<string, unknown>[];
    const { toHash: _toHash, ...withoutTo } = change!;
    const err = appErrorOf(() => server({ ...payload, changes: [withoutTo] }));
    expect(err).toMatchObject({ statusCode: 400, message: /changes\.0\.toHash/ });
  });
});

describe('bitbucket other events', () => {
  it('ignores the diagnostics ping as a ping', () => {
    expectIgnored(server({ test: true }, 'diagnostics:ping'), 'ping');
  });

  it('ignores other events, naming them and the repository', () => {
    const delivery = expectIgnored(
      server(fixtureBytes('bitbucket-server/refs-changed.json'), 'pr:opened'),
      'event pr:opened',
    );
    expect(delivery.repoURLs).toHaveLength(2);
  });
});
