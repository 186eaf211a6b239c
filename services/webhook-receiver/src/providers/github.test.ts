import { describe, expect, it } from 'vitest';
import { github } from './github.js';
import { hmacSha256Hex } from './signature.js';
import {
  appErrorOf,
  expectIgnored,
  expectPush,
  githubCatalogues,
  githubExamples,
  request,
} from './test/support.js';

const pushes = githubExamples('push');
const branchPushes = pushes.filter((e) => e.ref.startsWith('refs/heads/') && !e.deleted);

const delivered = (payload: object, event = 'push') =>
  github.parse(request(payload, { 'X-GitHub-Event': event, 'X-GitHub-Delivery': 'd-1' }));

describe('github parse of @octokit/webhooks-examples', () => {
  it('finds the push examples of every catalogue, branch pushes among them', () => {
    expect(githubCatalogues.length).toBeGreaterThan(1);
    expect(pushes.length).toBeGreaterThanOrEqual(7);
    expect(branchPushes.length).toBeGreaterThanOrEqual(2);
  });

  it.each(pushes.map((e, i) => [i, e.ref, e.deleted, e] as const))(
    'turns push example %i (%s, deleted: %s) into a valid push or an ignored tag or deletion',
    (_i, ref, deleted, example) => {
      const delivery = delivered(example);
      if (ref.startsWith('refs/tags/')) return void expectIgnored(delivery, 'tag push');
      if (deleted) return void expectIgnored(delivery, 'branch deletion');
      const push = expectPush(delivery, 'github');
      expect(push).toMatchObject({ deliveryId: 'd-1', ref, branch: ref.slice('refs/heads/'.length) });
      expect(push).toMatchObject({ before: example.before, after: example.after, pusher: example.pusher });
      const { clone_url, ssh_url, html_url } = example.repository!;
      expect(push.repoURLs).toEqual(expect.arrayContaining([clone_url, ssh_url, html_url]));
      const { id, message, author, timestamp } = example.head_commit!;
      expect(push.headCommit).toEqual({
        sha: id,
        message,
        author: { name: author.name, email: author.email },
        timestamp,
      });
    },
  );

  it.each(githubExamples('ping').map((e, i) => [i, e] as const))(
    'ignores ping example %i as a ping',
    (_i, example) => {
      const delivery = expectIgnored(delivered(example, 'ping'), 'ping');
      expect(delivery.repoURLs).toEqual(
        example.repository ? expect.arrayContaining([example.repository.clone_url]) : [],
      );
    },
  );

  it.each(['issues', 'pull_request', 'release', 'create', 'delete', 'workflow_run'])(
    'ignores the %s event, naming it',
    (event) => {
      const [example] = githubExamples(event);
      const delivery = expectIgnored(delivered(example!, event), `event ${event}`);
      expect(delivery.repoURLs).toContain(example!.repository!.clone_url);
    },
  );
});

describe('github form-encoded deliveries', () => {
  const example = branchPushes[0]!;
  const form = Buffer.from(`payload=${encodeURIComponent(JSON.stringify(example))}`);
  const secret = 'form secret';
  const formRequest = (signature: string) =>
    request(
      form,
      { 'X-GitHub-Event': 'push', 'X-GitHub-Delivery': 'f-1', 'X-Hub-Signature-256': `sha256=${signature}` },
      'application/x-www-form-urlencoded',
    );

  it('verifies a signature over the raw form body and parses its payload field', () => {
    const req = formRequest(hmacSha256Hex(secret, form));
    expect(github.verify(req, secret)).toBe(true);
    expect(expectPush(github.parse(req), 'github').after).toBe(example.after);
  });

  it('rejects a signature over the JSON inside the form, since GitHub signs the bytes it sends', () => {
    expect(github.verify(formRequest(hmacSha256Hex(secret, JSON.stringify(example))), secret)).toBe(false);
  });

  it('answers 400 for a form without a payload field', () => {
    const req = request('other=1', { 'X-GitHub-Event': 'push' }, 'application/x-www-form-urlencoded');
    expect(appErrorOf(() => github.parse(req))).toMatchObject({ statusCode: 400, message: /payload/ });
  });
});

describe('github parse edge cases', () => {
  const example = branchPushes[0]!;

  it('takes a push with no head commit (a new branch without new commits) with the pushed sha and the pusher', () => {
    const push = expectPush(delivered({ ...example, head_commit: null, commits: [] }), 'github');
    expect(push.headCommit).toEqual({ sha: example.after, message: '', author: example.pusher });
  });

  it('reads a null pusher e-mail as empty', () => {
    const push = expectPush(delivered({ ...example, pusher: { name: 'octocat', email: null } }), 'github');
    expect(push.pusher).toEqual({ name: 'octocat', email: '' });
  });

  it('keeps every slash of a branch name', () => {
    expect(expectPush(delivered({ ...example, ref: 'refs/heads/feature/a/b' }), 'github').branch).toBe(
      'feature/a/b',
    );
  });

  it('ignores a push flagged deleted even when after is not all zeros', () => {
    expectIgnored(delivered({ ...example, deleted: true }), 'branch deletion');
  });

  it('derives the same delivery id for the same bytes when X-GitHub-Delivery is absent', () => {
    const parse = () => github.parse(request(example, { 'X-GitHub-Event': 'push' }));
    const first = expectPush(parse(), 'github').deliveryId;
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(expectPush(parse(), 'github').deliveryId).toBe(first);
  });

  it('answers 400 naming the header when X-GitHub-Event is missing', () => {
    const err = appErrorOf(() => github.parse(request(example, {})));
    expect(err).toMatchObject({
      code: 'GITOPS_WEBHOOK_MALFORMED',
      statusCode: 400,
      message: /X-GitHub-Event/,
    });
  });
});
