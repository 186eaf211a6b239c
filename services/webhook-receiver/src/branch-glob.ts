/**
 * Branch patterns of `spec.source.branches`: `*` matches within one path segment, `**` across
 * segments, `?` one character; everything else is literal. So `release/*` takes `release/1.2`
 * but not `release/1.2/hotfix`, and `**` takes every branch.
 */
export function branchMatcher(patterns: string[]): (branch: string) => boolean {
  const expressions = patterns.map(globToRegExp);
  return (branch) => expressions.some((re) => re.test(branch));
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i]!;
    if (char === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
