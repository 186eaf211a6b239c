import { describe, expect, it } from 'vitest';
import { hmacHeaderMatches, hmacSha256Hex, safeEqual } from './signature.js';

describe('hmacSha256Hex', () => {
  it('matches the example in GitHub’s webhook validation guide', () => {
    expect(hmacSha256Hex("It's a Secret to Everybody", Buffer.from('Hello, World!'))).toBe(
      '757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
    );
  });

  it('gives the same digest for a string and its UTF-8 bytes', () => {
    expect(hmacSha256Hex('k', 'héllo')).toBe(hmacSha256Hex('k', Buffer.from('héllo', 'utf8')));
  });
});

describe('safeEqual', () => {
  it('is true for equal strings, empty ones included', () => {
    expect(safeEqual('token-1', 'token-1')).toBe(true);
    expect(safeEqual('', '')).toBe(true);
  });

  it('is false for strings that differ in one character', () => {
    expect(safeEqual('token-1', 'token-2')).toBe(false);
  });

  it('is false without throwing when the lengths differ', () => {
    expect(safeEqual('short', 'a much longer string')).toBe(false);
    expect(safeEqual('', 'x')).toBe(false);
  });
});

describe('hmacHeaderMatches', () => {
  const body = Buffer.from('{"a":1}');
  const hex = hmacSha256Hex('s3cret', body);

  it('accepts the prefixed hex digest of the body under the secret', () => {
    expect(hmacHeaderMatches(`sha256=${hex}`, 'sha256=', 's3cret', body)).toBe(true);
  });

  it('accepts the digest written in upper case', () => {
    expect(hmacHeaderMatches(`sha256=${hex.toUpperCase()}`, 'sha256=', 's3cret', body)).toBe(true);
  });

  it('refuses every header when the secret is empty, even one computed with the empty key', () => {
    expect(hmacHeaderMatches(`sha256=${hmacSha256Hex('', body)}`, 'sha256=', '', body)).toBe(false);
  });
});
