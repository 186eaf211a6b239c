import { posix } from 'node:path';

interface Pattern {
  regex: RegExp;
  /** A `!` line: re-includes what earlier lines excluded. */
  exception: boolean;
}

/** Decides which context paths a `.dockerignore` excludes. */
export interface IgnoreMatcher {
  /** Whether a context-relative path (`a/b.txt`, no leading slash) is excluded. */
  excludes(path: string): boolean;
  /** Whether some `!` line could re-include a path below an excluded directory, so it must be walked. */
  readonly hasExceptions: boolean;
}

/**
 * Compiles a glob the way Docker's patternmatcher does: `*` and `?` stay within a path segment, `**`
 * spans any number of segments (none included), `[...]` is a class, `\` escapes, the rest is literal.
 */
export function globToRegex(glob: string): RegExp {
  let out = '^';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i] as string;
    if (ch === '*' && glob[i + 1] === '*') {
      i += glob[i + 2] === '/' ? 2 : 1;
      out += i === glob.length - 1 ? '.*' : '(?:.*/)?';
    } else if (ch === '*') out += '[^/]*';
    else if (ch === '?') out += '[^/]';
    else if (ch === '\\') out += `\\${glob[++i] ?? '\\'}`;
    else if (ch === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) out += '\\[';
      else {
        out += glob.slice(i, close + 1);
        i = close;
      }
    } else out += ch.replace(/[.+()|{}$^\]]/g, '\\$&');
  }
  return new RegExp(`${out}$`, 's');
}

/**
 * Parses `.dockerignore` text: one pattern per line, `#` comments and blank lines skipped, paths
 * cleaned and relative to the context root (a leading `/` is dropped), `!` for exceptions.
 */
export function parseDockerignore(text: string): IgnoreMatcher {
  const patterns: Pattern[] = [];
  for (const raw of text.split(/\r?\n/)) {
    let line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const exception = line.startsWith('!');
    if (exception) line = line.slice(1).trim();
    const cleaned = posix.normalize(line).replace(/^\/+/, '').replace(/\/+$/, '');
    if (cleaned === '' || cleaned === '.') continue;
    patterns.push({ regex: globToRegex(cleaned), exception });
  }
  return {
    excludes: (path) => excluded(patterns, path),
    hasExceptions: patterns.some((p) => p.exception),
  };
}

/** The last pattern that matches the path or one of its parent directories decides. */
function excluded(patterns: Pattern[], path: string): boolean {
  const parents = path.split('/').slice(0, -1);
  const prefixes = parents.map((_, i) => parents.slice(0, i + 1).join('/'));
  let matched = false;
  for (const { regex, exception } of patterns) {
    // Only a pattern that can flip the current answer needs evaluating.
    if (exception !== matched) continue;
    if (regex.test(path) || prefixes.some((p) => regex.test(p))) matched = !exception;
  }
  return matched;
}
