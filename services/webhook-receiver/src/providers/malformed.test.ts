import { describe, expect, it } from 'vitest';
import { providers } from './index.js';
import { appErrorOf, fixtureBytes, githubExamples, request } from './test/support.js';
import type { ProviderName } from './types.js';

/** For each provider: the headers of a push, a valid push body, and a required field to take away. */
const githubPush = githubExamples('push').find((e) => e.ref.startsWith('refs/heads/'));

const cases: Record<ProviderName, { headers: Record<string, string>; body: Buffer; drop: string }> = {
  github: {
    headers: { 'X-GitHub-Event': 'push' },
    body: Buffer.from(JSON.stringify(githubPush)),
    drop: 'after',
  },
  gitea: { headers: { 'X-Gitea-Event': 'push' }, body: fixtureBytes('gitea/push.json'), drop: 'after' },
  gitlab: { headers: { 'X-Gitlab-Event': 'Push Hook' }, body: fixtureBytes('gitlab/push.json'), drop: 'ref' },
  bitbucket: {
    headers: { 'X-Event-Key': 'repo:refs_changed' },
    body: fixtureBytes('bitbucket-server/refs-changed.json'),
    drop: 'changes',
  },
  generic: {
    headers: {},
    body: Buffer.from(
      JSON.stringify({
        repoURL: 'https://git.example.com/acme/hello.git',
        ref: 'refs/heads/main',
        before: '0'.repeat(40),
        after: 'bffeb74224043ba2feb48d137756c8a9331c449a',
      }),
    ),
    drop: 'before',
  },
};

describe.each(Object.keys(cases) as ProviderName[])('%s parse of a malformed request', (name) => {
  const { headers, body, drop } = cases[name];
  const parse = (bytes: Buffer | string, contentType = 'application/json') =>
    providers[name].parse(request(bytes, headers, contentType));

  it('accepts the untouched body, so the failures below come from what each one breaks', () => {
    expect(parse(body).kind).toBe('push');
  });

  it('answers 400 saying the body is not valid JSON when it is truncated', () => {
    const err = appErrorOf(() => parse(body.subarray(0, body.length / 2)));
    expect(err).toMatchObject({
      code: 'GITOPS_WEBHOOK_MALFORMED',
      statusCode: 400,
      message: /not valid JSON/,
    });
  });

  it('answers 400 when the JSON is not an object', () => {
    expect(appErrorOf(() => parse('[1, 2]'))).toMatchObject({
      statusCode: 400,
      message: /not a JSON object/,
    });
  });

  it(`answers 400 naming the required field "${drop}" when it is missing`, () => {
    const { [drop]: _dropped, ...rest } = JSON.parse(body.toString('utf8'));
    const err = appErrorOf(() => parse(JSON.stringify(rest)));
    expect(err).toMatchObject({ code: 'GITOPS_WEBHOOK_MALFORMED', statusCode: 400 });
    expect(err.message).toContain(`"${drop}"`);
  });

  it.each(['text/plain', 'application/xml', ''])('answers 415 for the content type "%s"', (contentType) => {
    const err = appErrorOf(() => parse(body, contentType));
    expect(err).toMatchObject({ code: 'GITOPS_WEBHOOK_UNSUPPORTED_MEDIA_TYPE', statusCode: 415 });
  });
});
