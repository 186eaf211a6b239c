import { testApplication } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { nextEnvironment, pinnedImage, versionTagOf } from './next.js';

const app = testApplication('hello', {
  environments: [
    { name: 'dev', path: 'envs/dev' },
    { name: 'staging', path: 'envs/staging', promotion: 'auto' },
    { name: 'prod', path: 'envs/prod' },
  ],
});

describe('promotion decisions', () => {
  it('leads each environment to the next one, and the last one nowhere', () => {
    expect(nextEnvironment(app, 'dev')?.name).toBe('staging');
    expect(nextEnvironment(app, 'staging')).toMatchObject({ name: 'prod', promotion: 'approval' });
    expect(nextEnvironment(app, 'prod')).toBeUndefined();
    expect(nextEnvironment(app, 'nowhere')).toBeUndefined();
  });

  it('keeps the version tag, not the sha- tag', () => {
    expect(versionTagOf([`sha-${'a'.repeat(40)}`, 'main-abc1234-3'])).toBe('main-abc1234-3');
    expect(versionTagOf([])).toBeUndefined();
  });

  it('reads a digest only from a repo@sha256 reference', () => {
    const digest = `sha256:${'b'.repeat(64)}`;
    expect(pinnedImage(`127.0.0.1:5000/acme/hello:v1@${digest}`)).toEqual({
      repository: '127.0.0.1:5000/acme/hello',
      digest,
    });
    expect(pinnedImage('127.0.0.1:5000/acme/hello:v1')).toBeUndefined();
  });
});
