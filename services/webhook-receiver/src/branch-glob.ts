import picomatch from 'picomatch';

/**
 * Branch patterns of `spec.source.branches` (docs/applications.md), with picomatch's glob syntax: `*`
 * and `?` within one path segment, `**` across any number of segments, zero included, `{main,dev}`
 * alternatives, `[ab]` classes. A leading `!` is not a negation: the patterns are alternatives, and one
 * that negates would let in every other branch.
 */
export function branchMatcher(patterns: string[]): (branch: string) => boolean {
  const matchers = patterns.map((pattern) => picomatch(pattern, { nonegate: true }));
  return (branch) => matchers.some((matches) => matches(branch));
}
