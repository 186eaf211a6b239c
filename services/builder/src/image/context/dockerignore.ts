import dockerignore, { type Ignore } from '@balena/dockerignore';
import { imageErrors } from '../errors.js';

/** Decides which context paths a `.dockerignore` excludes. */
export interface IgnoreMatcher {
  /** Whether a context-relative path (`a/b.txt`, no leading slash) is excluded. */
  excludes(path: string): boolean;
  /** Whether some `!` line could re-include a path below an excluded directory, so it must be walked. */
  readonly hasExceptions: boolean;
}

// CommonJS (`module.exports = factory`, `factory.default = factory`): under NodeNext the default import
// is `module.exports`, typed as the module, so the factory is reached as `.default`.
const createIgnore = (): Ignore => dockerignore.default({ ignorecase: false });

/**
 * Docker's pattern matcher (moby/patternmatcher) escapes these before compiling a pattern to a regular
 * expression; the library, ported from Docker 19.03, does not, so `app (1).txt` would be a group and
 * `a+b` a repetition. Escaping them keeps them literal, as they are in today's Docker.
 */
function escapeRegexOnly(pattern: string): string {
  let out = '';
  for (let i = 0; i < pattern.length; i++) {
    const ch = pattern[i] as string;
    if (ch === '\\') out += ch + (pattern[++i] ?? '');
    else out += '+()|{}'.includes(ch) ? `\\${ch}` : ch;
  }
  return out;
}

/** The pattern lines, as Docker reads them: a `#` in the first column starts a comment, blank lines are skipped. */
const patternLines = (text: string) =>
  text
    .replace(/^\uFEFF/, '')
    .split(/\r?\n/)
    .map((line, i) => ({ line: i + 1, pattern: line }))
    .filter(({ pattern }) => !pattern.startsWith('#') && pattern.trim() !== '');

/** Compiles each line on its own first, so a malformed one (`[b-a]`) is reported with its line number. */
function compilable(line: number, pattern: string): string {
  const escaped = escapeRegexOnly(pattern);
  try {
    createIgnore().add(escaped).ignores('.');
  } catch (err) {
    throw imageErrors.dockerignoreInvalid(line, pattern, err);
  }
  return escaped;
}

/**
 * Parses `.dockerignore` text with @balena/dockerignore, Docker's rules in JavaScript: patterns anchored
 * at the context root and cleaned (a leading `/` dropped), `*` and `?` within a segment, `**` across,
 * `[...]` classes, `\` escapes, `!` exceptions, the last matching line wins, and a pattern that matches a
 * directory excludes everything below it. Case-sensitive, as on Linux.
 */
export function parseDockerignore(text: string): IgnoreMatcher {
  const lines = patternLines(text);
  const matcher = createIgnore().add(lines.map(({ line, pattern }) => compilable(line, pattern)));
  // The library caches answers in a plain object keyed by path: a file named like an Object.prototype
  // member (`constructor`, `toString`) would read that member as its answer and never be excluded.
  (matcher as unknown as { _cache: object })._cache = Object.create(null);
  return {
    excludes: (path) => matcher.ignores(path),
    hasExceptions: lines.some(({ pattern }) => pattern.trim().startsWith('!')),
  };
}
