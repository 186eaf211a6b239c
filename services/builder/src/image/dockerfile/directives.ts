import { imageErrors } from '../errors.js';

/** The characters `# escape=` may choose; Windows Dockerfiles use the backtick, where `\` separates paths. */
export type EscapeChar = '\\' | '`';

export interface Directives {
  escapeChar: EscapeChar;
}

const DIRECTIVE = /^#[ \t]*([a-zA-Z][a-zA-Z0-9]*)[ \t]*=[ \t]*(.+?)[ \t]*$/;
/** The directives BuildKit knows; any other `# name=value` is a comment, and so ends the directives. */
const KNOWN = new Set(['syntax', 'escape', 'check']);

/**
 * Reads the parser directives at the very top of a Dockerfile, as BuildKit does: `# name=value` lines,
 * case-insensitive, before any blank line, comment or instruction (after one, a directive is only a
 * comment). Each may appear once; only `escape` changes how the Dockerfile is read.
 */
export function parseDirectives(lines: string[]): Directives {
  const seen = new Set<string>();
  const directives: Directives = { escapeChar: '\\' };
  for (const [index, line] of lines.entries()) {
    const match = DIRECTIVE.exec(line.trimStart());
    const name = match?.[1]?.toLowerCase();
    if (!match || !name || !KNOWN.has(name)) break;
    if (seen.has(name))
      throw imageErrors.dockerfileInvalid(index + 1, `only one ${name} parser directive can be used`);
    seen.add(name);
    if (name === 'escape') directives.escapeChar = parseEscape(match[2] ?? '', index + 1);
  }
  return directives;
}

function parseEscape(value: string, line: number): EscapeChar {
  if (value === '\\' || value === '`') return value;
  throw imageErrors.dockerfileInvalid(
    line,
    `invalid escape token ${JSON.stringify(value)}: it must be \` or \\`,
  );
}
