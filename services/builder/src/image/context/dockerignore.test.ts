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

  it('excludes nothing when empty or only comments and blank lines', () => {
    const matcher = parseDockerignore('\n# nothing\n   \n');
    expect(matcher.excludes('a')).toBe(false);
    expect(matcher.hasExceptions).toBe(false);
  });
});
