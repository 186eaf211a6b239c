import { describe, expect, it } from 'vitest';
import { parseChallenge } from './auth.js';
import { TransientError, backoffDelay, isTransient, parseRetryAfter } from './retry.js';
import { rangeOffset } from './upload-session.js';

describe('parseChallenge', () => {
  it('reads a Bearer challenge with quoted, comma-separated parameters', () => {
    expect(
      parseChallenge(
        'Bearer realm="https://auth.example.com/token",service="registry.example.com",scope="repository:a/b:pull,push"',
      ),
    ).toEqual({
      scheme: 'bearer',
      params: {
        realm: 'https://auth.example.com/token',
        service: 'registry.example.com',
        scope: 'repository:a/b:pull,push',
      },
    });
  });
  it('reads a Basic challenge and ignores a missing header', () => {
    expect(parseChallenge('Basic realm="gitops-test"')).toEqual({
      scheme: 'basic',
      params: { realm: 'gitops-test' },
    });
    expect(parseChallenge(undefined)).toBeUndefined();
  });
});

describe('rangeOffset', () => {
  it('continues after the last byte the registry reports', () => {
    expect(rangeOffset('0-1048575')).toBe(1048576);
    expect(rangeOffset('bytes=0-9')).toBe(10);
  });
  it('starts at 0 for an empty session or no Range', () => {
    expect(rangeOffset('0-0')).toBe(0);
    expect(rangeOffset(undefined)).toBe(0);
  });
});

describe('retry decisions', () => {
  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(new Date(10_000).toUTCString(), 4000)).toBe(6000);
    expect(parseRetryAfter('soon')).toBeUndefined();
  });
  it('doubles the backoff per attempt up to the cap, with jitter in the upper half', () => {
    const policy = { attempts: 9, baseDelayMs: 100, maxDelayMs: 1000 };
    expect(backoffDelay(policy, 1, () => 1)).toBe(100);
    expect(backoffDelay(policy, 3, () => 1)).toBe(400);
    expect(backoffDelay(policy, 3, () => 0)).toBe(200);
    expect(backoffDelay(policy, 8, () => 1)).toBe(1000);
  });
  it('treats resets, refusals and TransientError as transient, anything else not', () => {
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isTransient(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isTransient(new TransientError('503'))).toBe(true);
    expect(
      isTransient(Object.assign(new Error('self-signed certificate'), { code: 'SELF_SIGNED_CERT_IN_CHAIN' })),
    ).toBe(false);
  });
});
