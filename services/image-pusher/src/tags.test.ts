import { describe, expect, it } from 'vitest';
import {
  buildNumberOf,
  highestBuildNumber,
  imageTags,
  sanitiseBranch,
  semverTag,
  versionTag,
  versionTagsOf,
} from './tags.js';

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

describe('build numbers in tags', () => {
  it('reads the number of a version tag of any branch, and none from other tags', () => {
    expect(buildNumberOf('main-0123456-42')).toBe(42);
    expect(buildNumberOf('feature-login-sso-abcdef0-7')).toBe(7);
    expect(buildNumberOf(versionTag(`feature/${'x'.repeat(300)}`, SHA, 123456))).toBe(123456);
    for (const other of [`sha-${SHA}`, '1.4.0', '2.0.0-rc.1', `sha256-${'e'.repeat(64)}.att`, 'latest']) {
      expect(buildNumberOf(other)).toBeUndefined();
    }
    expect(buildNumberOf('main-0123456-007')).toBeUndefined(); // never written: numbers have no leading zero
    expect(buildNumberOf('main-0123456-99999999999999999999')).toBeUndefined();
  });

  it('takes the highest number across branches, 0 for a repository without version tags', () => {
    expect(highestBuildNumber(['main-0123456-13', 'fix-abcdef0-23', 'main-1111111-9', '1.0.0'])).toBe(23);
    expect(highestBuildNumber([`sha-${SHA}`, 'latest'])).toBe(0);
    expect(highestBuildNumber([])).toBe(0);
  });

  it('finds the version tags of one branch and commit, lowest number first', () => {
    const tags = ['main-0123456-9', 'main-0123456-3', 'main-abcdef0-4', 'dev-0123456-5', 'main-0123456'];
    expect(versionTagsOf(tags, 'main', SHA)).toEqual([
      { tag: 'main-0123456-3', buildNumber: 3 },
      { tag: 'main-0123456-9', buildNumber: 9 },
    ]);
    expect(versionTagsOf(['feature-login-sso-0123456-2'], 'feature/Login+SSO', SHA)).toHaveLength(1);
  });
});
