import { describe, expect, it } from 'vitest';
import { branchMatcher } from './branch-glob.js';

describe('branchMatcher', () => {
  it.each([
    [['main'], 'main', true],
    [['main'], 'main2', false],
    [['release/*'], 'release/1.2', true],
    [['release/*'], 'release/1.2/hotfix', false],
    [['release/**'], 'release/1.2/hotfix', true],
    [['**'], 'feature/a/b', true],
    [['v?.x'], 'v1.x', true],
    [['feat.x'], 'featYx', false],
    [['main', 'dev'], 'dev', true],
  ])('%j against %s is %s', (patterns, branch, expected) => {
    expect(branchMatcher(patterns)(branch)).toBe(expected);
  });
});
