import { describe, expect, it } from 'vitest';
import { providers } from './index.js';
import { hmacSha256Hex } from './signature.js';
import { request } from './test/support.js';
import type { ProviderName } from './types.js';

const SECRET = 'It is a secret to everybody';
const BODY = Buffer.from('{"ref":"refs/heads/main","after":"6113728f27ae82c7b1a177c8d03f9e96e0adf246"}');

/** The header each provider authenticates a request with, given what goes after its prefix. */
const hmacHeaders: Record<Exclude<ProviderName, 'gitlab'>, { name: string; prefix: string }> = {
  github: { name: 'X-Hub-Signature-256', prefix: 'sha256=' },
  gitea: { name: 'X-Gitea-Signature', prefix: '' },
  bitbucket: { name: 'X-Hub-Signature', prefix: 'sha256=' },
  generic: { name: 'X-Signature-256', prefix: 'sha256=' },
};
const hmacProviders = Object.keys(hmacHeaders) as (keyof typeof hmacHeaders)[];

const signed = (provider: keyof typeof hmacHeaders, value: string, body = BODY) =>
  request(body, { [hmacHeaders[provider].name]: value });
const good = (provider: keyof typeof hmacHeaders) =>
  `${hmacHeaders[provider].prefix}${hmacSha256Hex(SECRET, BODY)}`;

describe.each(hmacProviders)('%s verify', (provider) => {
  const verify = (req: ReturnType<typeof request>, secret = SECRET) =>
    providers[provider].verify(req, secret);
  const hex = hmacSha256Hex(SECRET, BODY);
  const { prefix } = hmacHeaders[provider];

  it('accepts the HMAC-SHA256 of the body under the right secret', () => {
    expect(verify(signed(provider, good(provider)))).toBe(true);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify(signed(provider, good(provider)), 'another secret')).toBe(false);
  });

  it('rejects a request without the signature header', () => {
    expect(verify(request(BODY, {}))).toBe(false);
  });

  it('rejects a signature made over a different body', () => {
    const other = Buffer.from(`${BODY.toString()} `);
    expect(verify(signed(provider, good(provider), other))).toBe(false);
  });

  it.each([
    ['a truncated digest', `${prefix}${hex.slice(0, 63)}`],
    ['a digest with an extra character', `${prefix}${hex}0`],
    ['a non-hex digest of the right length', `${prefix}${'z'.repeat(64)}`],
    ['an empty header', ''],
    ['the prefix alone', prefix || 'sha256='],
    ['a huge header', `${prefix}${'a'.repeat(100_000)}`],
    ['a sha1 signature', `sha1=${hex.slice(0, 40)}`],
  ])('rejects %s without throwing', (_what, value) => {
    expect(verify(signed(provider, value))).toBe(false);
  });

  it('rejects every request when the secret is empty', () => {
    expect(verify(signed(provider, `${prefix}${hmacSha256Hex('', BODY)}`), '')).toBe(false);
  });
});

describe.each(['github', 'bitbucket', 'generic'] as const)('%s verify of the sha256= prefix', (provider) => {
  it('rejects the right digest without its sha256= prefix', () => {
    expect(providers[provider].verify(signed(provider, hmacSha256Hex(SECRET, BODY)), SECRET)).toBe(false);
  });
});

describe('gitea verify', () => {
  it('rejects the right digest carrying a sha256= prefix, which Gitea never sends', () => {
    expect(providers.gitea.verify(signed('gitea', `sha256=${hmacSha256Hex(SECRET, BODY)}`), SECRET)).toBe(
      false,
    );
  });

  it('accepts Forgejo’s X-Forgejo-Signature header', () => {
    const req = request(BODY, { 'X-Forgejo-Signature': hmacSha256Hex(SECRET, BODY) });
    expect(providers.gitea.verify(req, SECRET)).toBe(true);
  });
});

describe('gitlab verify', () => {
  const verify = (token: string | undefined, secret = SECRET) =>
    providers.gitlab.verify(request(BODY, token === undefined ? {} : { 'X-Gitlab-Token': token }), secret);

  it('accepts the secret sent as X-Gitlab-Token', () => {
    expect(verify(SECRET)).toBe(true);
  });

  it.each([
    ['another token', 'It is a secret to everybodY'],
    ['a prefix of the secret', SECRET.slice(0, 5)],
    ['a longer token', `${SECRET}!`],
    ['an empty token', ''],
  ])('rejects %s without throwing', (_what, token) => {
    expect(verify(token)).toBe(false);
  });

  it('rejects a request without the token header', () => {
    expect(verify(undefined)).toBe(false);
  });

  it('rejects an empty token when the secret is empty too', () => {
    expect(verify('', '')).toBe(false);
  });
});
