import { describe, expect, it } from 'vitest';
import { imageTags, sanitiseBranch, semverTag, versionTag } from './tags.js';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const TAG_GRAMMAR = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

describe('image tags', () => {
  it('names a build <branch>-<short sha>-<build number>', () => {
    expect(versionTag('main', SHA, 42)).toBe('main-0123456-42');
  });

  it('turns a branch into the tag grammar', () => {
    expect(sanitiseBranch('feature/Login+SSO', 100)).toBe('feature-login-sso');
    expect(sanitiseBranch('-.release/1.x.', 100)).toBe('release-1.x');
    expect(sanitiseBranch('@@@', 100)).toBe('detached');
    expect(versionTag('dependabot/npm_and_yarn/@types/node-20.1', SHA, 7)).toBe(
      'dependabot-npm_and_yarn-types-node-20.1-0123456-7',
    );
  });

  it('keeps a long branch within 128 characters without losing sha or number', () => {
    const tag = versionTag(`feature/${'x'.repeat(300)}`, SHA, 123456);
    expect(tag).toHaveLength(128);
    expect(tag).toMatch(TAG_GRAMMAR);
    expect(tag.endsWith('-0123456-123456')).toBe(true);
  });

  it('reads a semver tag only from a git tag vX.Y.Z', () => {
    expect(semverTag('refs/tags/v1.2.3')).toBe('1.2.3');
    expect(semverTag('refs/tags/v2.0.0-rc.1')).toBe('2.0.0-rc.1');
    expect(semverTag('refs/tags/v10.20.30-alpha-1.beta')).toBe('10.20.30-alpha-1.beta');
    expect(semverTag('refs/tags/1.2.3')).toBeUndefined();
    expect(semverTag('refs/tags/v1.2')).toBeUndefined();
    expect(semverTag('refs/heads/v1.2.3')).toBeUndefined();
  });

  it.each([
    ['refs/tags/v01.2.3', 'a leading zero'],
    ['refs/tags/v1.02.3', 'a leading zero'],
    ['refs/tags/v1.2.3-01', 'a numeric pre-release with a leading zero'],
    ['refs/tags/vv1.2.3', 'a second v'],
    ['refs/tags/v1.2.3+build.5', 'build metadata (+ is not allowed in an image tag)'],
    ['refs/tags/v 1.2.3', 'a space'],
    ['refs/tags/v1.2.3.4', 'a fourth number'],
  ])('gives %s no semver tag: %s', (ref) => {
    expect(semverTag(ref)).toBeUndefined();
  });

  it('gives a branch build its version tag and sha tag', () => {
    expect(imageTags({ ref: 'refs/heads/main', branch: 'main' }, SHA, 3)).toEqual({
      strict: ['main-0123456-3'],
      firstWins: [`sha-${SHA}`],
    });
  });

  it('adds the semver tag to a tag build, named after the tag when there is no branch', () => {
    expect(imageTags({ ref: 'refs/tags/v1.4.0', branch: '' }, SHA, 9)).toEqual({
      strict: ['v1.4.0-0123456-9', '1.4.0'],
      firstWins: [`sha-${SHA}`],
    });
  });
});
