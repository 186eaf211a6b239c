import { describe, expect, it } from 'vitest';
import { parseDockerignore } from './dockerignore.js';

describe('parseDockerignore', () => {
  it.each([
    // Patterns are anchored at the context root, unlike .gitignore's.
    ['*.md', 'README.md', true],
    ['*.md', 'docs/README.md', false],
    ['**/*.md', 'docs/a/README.md', true],
    ['**/*.md', 'README.md', true],
    ['docs/**', 'docs/a/b.txt', true],
    ['**', 'anything/at/all', true],
    // A pattern that matches a directory excludes everything below it.
    ['node_modules', 'node_modules/x/index.js', true],
    ['/build/', 'build/out.js', true],
    ['./tmp', 'tmp/a', true],
    ['src/*/test', 'src/a/test/x.ts', true],
    ['src/*/test', 'src/a/b/test/x.ts', false],
    ['src/**/test', 'src/a/b/test/x.ts', true],
    ['file?.txt', 'file1.txt', true],
    ['file?.txt', 'file10.txt', false],
    ['file[0-9].txt', 'file7.txt', true],
    ['file[0-9].txt', 'filex.txt', false],
    ['a.b', 'aXb', false],
    ['\\*.txt', '*.txt', true],
    ['\\*.txt', 'a.txt', false],
    ['# a comment', '# a comment', false],
    // Only a # in the first column starts a comment; the rest of the line is trimmed.
    ['  #hash  ', '#hash', true],
    // Case-sensitive, as Docker on Linux.
    ['*.MD', 'README.md', false],
    // Regular-expression characters are literal, as in today's Docker (moby/patternmatcher).
    ['app (1).txt', 'app (1).txt', true],
    ['a+b', 'aab', false],
    ['a+b', 'a+b', true],
    ['{a,b}', 'a', false],
    ['x|y', 'x', false],
    // Names the library's answer cache could confuse with Object.prototype members.
    ['constructor', 'constructor', true],
    ['toString', 'toString', true],
    ['**/node_modules', 'a/b/node_modules/x/index.js', true],
  ])('%j excludes %s: %s', (pattern, path, expected) => {
    expect(parseDockerignore(pattern).excludes(path)).toBe(expected);
  });

  it('lets a later ! line re-include what an earlier one excluded, and a still later one exclude it again', () => {
    const matcher = parseDockerignore('*.md\n!README.md\n!CHANGELOG.md\nCHANGELOG.md\n');
    expect(matcher.excludes('NOTES.md')).toBe(true);
    expect(matcher.excludes('README.md')).toBe(false);
    expect(matcher.excludes('CHANGELOG.md')).toBe(true);
    expect(matcher.hasExceptions).toBe(true);
  });

  it('re-includes a file inside an excluded directory', () => {
    const matcher = parseDockerignore('node_modules\n!node_modules/keep/**\n');
    expect(matcher.excludes('node_modules/drop/index.js')).toBe(true);
    expect(matcher.excludes('node_modules/keep/index.js')).toBe(false);
  });

  it('refuses a malformed pattern, naming its line', () => {
    expect(() => parseDockerignore('ok\n\n[b-a]\n')).toThrow(
      expect.objectContaining({
        code: 'GITOPS_BUILD_DOCKERIGNORE_INVALID',
        message: '.dockerignore line 3: "[b-a]" is not a valid pattern',
      }),
    );
  });

  it('reads a comment on the first line after a byte order mark as a comment', () => {
    expect(parseDockerignore('\uFEFF#x\n').excludes('#x')).toBe(false);
  });

  it('excludes nothing when empty or only comments and blank lines', () => {
    const matcher = parseDockerignore('\n# nothing\n   \n');
    expect(matcher.excludes('a')).toBe(false);
    expect(matcher.hasExceptions).toBe(false);
  });
});
