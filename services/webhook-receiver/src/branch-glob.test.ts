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
    [['v?.x'], 'v/.x', false],
    [['feat.x'], 'featYx', false],
    [['main', 'dev'], 'dev', true],
    // `**` spans any number of segments, none included.
    [['feat/**/x'], 'feat/x', true],
    [['feat/**/x'], 'feat/a/b/x', true],
    [['feat/**/x'], 'feat/a/y', false],
    [['{main,dev}'], 'dev', true],
    [['{main,dev}'], 'devel', false],
    [['release-{1..3}'], 'release-2', true],
    [['[ab]*'], 'beta', true],
    [['[ab]*'], 'cat', false],
    [['[ab]*'], 'a/b', false],
    // Characters a regular expression would read are literal.
    [['a+b'], 'aab', false],
    [['a+b'], 'a+b', true],
    // A leading ! is no negation: it would let in every other branch.
    [['!main'], 'dev', false],
  ])('%j against %s is %s', (patterns, branch, expected) => {
    expect(branchMatcher(patterns)(branch)).toBe(expected);
  });
});
