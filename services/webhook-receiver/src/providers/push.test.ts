import { describe, expect, it } from 'vitest';
import { type RefUpdate, commitAmong, refUpdateDelivery, repoURLs } from './push.js';
import { appErrorOf, expectIgnored, expectPush } from './test/support.js';

const AFTER = 'da1560886d4f094c3e6c9ef40349f7d38b5d27d7';
const update: RefUpdate = {
  deliveryId: 'd-1',
  repoURLs: ['https://git.example.com/acme/hello.git'],
  ref: 'refs/heads/main',
  before: '95790bf891e76fee5e1747ab589903a6a1f80f22',
  after: AFTER,
  pusher: { name: 'ada', email: 'ada@example.com' },
};
const deliver = (changes: Partial<RefUpdate>) => refUpdateDelivery({ ...update, ...changes });

describe('refUpdateDelivery', () => {
  it('accepts a 64-hex sha of a SHA-256 repository', () => {
    const sha = 'a'.repeat(64);
    expect(expectPush(deliver({ after: sha }), 'generic').headCommit.sha).toBe(sha);
  });

  it.each([
    ['an abbreviated sha', 'da15608'],
    ['an upper-case sha', AFTER.toUpperCase()],
    ['a 41-character sha', `${AFTER}0`],
    ['a non-hex sha', 'z'.repeat(40)],
  ])('answers 400 for %s as after', (_what, after) => {
    const err = appErrorOf(() => deliver({ after }));
    expect(err).toMatchObject({ code: 'GITOPS_WEBHOOK_MALFORMED', statusCode: 400, message: /^after/ });
  });

  it('answers 400 for a head commit id that is not a full sha', () => {
    const headCommit = { sha: 'da15608', message: '', author: update.pusher };
    expect(appErrorOf(() => deliver({ headCommit }))).toMatchObject({
      statusCode: 400,
      message: /head commit id/,
    });
  });

  it.each(['refs/pull/1/head', 'refs/notes/commits', 'refs/heads/', 'main'])(
    'ignores %s as a ref that is not a branch',
    (ref) => {
      expectIgnored(deliver({ ref }), `ref ${ref} is not a branch`);
    },
  );

  it('ignores a tag deletion as a tag push, not as a branch deletion', () => {
    expectIgnored(deliver({ ref: 'refs/tags/v1', after: '0'.repeat(40) }), 'tag push');
  });

  it('ignores a deletion even when its repository names no URL, so the receiver can still answer 200', () => {
    const delivery = expectIgnored(deliver({ after: '0'.repeat(40), repoURLs: [] }), 'branch deletion');
    expect(delivery.repoURLs).toEqual([]);
  });

  it('answers 400 for a push that names no repository URL', () => {
    expect(appErrorOf(() => deliver({ repoURLs: [] }))).toMatchObject({ statusCode: 400 });
  });

  it.each([
    ['ref', { ref: `refs/heads/${'r'.repeat(1100)}` }],
    ['before', { before: 'b'.repeat(129) }],
    ['deliveryId', { deliveryId: 'd'.repeat(257) }],
  ])('answers 400 for a %s too long for an event, rather than cutting an identifier', (field, changes) => {
    expect(appErrorOf(() => deliver(changes))).toMatchObject({
      statusCode: 400,
      message: new RegExp(`^${field} is \\d+ characters long`),
    });
  });
});

describe('commit timestamps', () => {
  const commit = (timestamp: unknown) => ({ id: AFTER, message: 'm', author: { name: 'a' }, timestamp });

  it('keeps an RFC 3339 timestamp as written', () => {
    expect(commitAmong([commit('2012-01-03T23:36:29+02:00')], AFTER)?.timestamp).toBe(
      '2012-01-03T23:36:29+02:00',
    );
  });

  it.each([
    ['not a date'],
    ['2012-01-03 23:36:29'],
    [1700000000],
    [`2012-01-03T23:36:29.${'0'.repeat(100)}Z`],
  ])('drops an unreadable timestamp (%s)', (value) => {
    const head = commitAmong([commit(value)], AFTER);
    expect(head).toEqual({ sha: AFTER, message: 'm', author: { name: 'a', email: '' } });
  });
});

describe('repoURLs', () => {
  it('keeps the distinct repository URLs in order and drops what is not one', () => {
    const ssh = 'git@example.com:mike/diaspora.git';
    const http = 'http://example.com/mike/diaspora.git';
    expect(repoURLs([http, null, '', 'not a url', 42, ssh, http])).toEqual([http, ssh]);
  });

  it('drops a URL longer than an event carries', () => {
    expect(repoURLs([`https://example.com/${'a'.repeat(2100)}.git`])).toEqual([]);
  });
});
