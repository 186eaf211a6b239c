import { imageErrors } from '../errors.js';
import { type EscapeChar, parseDirectives } from './directives.js';

/** One instruction as written: its keyword, leading `--flags`, and the rest of its text. */
export interface RawInstruction {
  /** 1-based line where the instruction starts. */
  line: number;
  /** Upper case: FROM, COPY, RUN… */
  keyword: string;
  /** `--name=value` (or `--name`) flags before the arguments, as written. */
  flags: string[];
  /** The arguments after the flags, continuations joined. */
  args: string;
  /** True when the instruction has a heredoc (`<<EOF`); its body lines are consumed, not parsed. */
  heredoc: boolean;
  /** The escape character the `# escape=` directive chose: `\\` (the default) or `` ` ``. */
  escapeChar: EscapeChar;
}

const HEREDOC = /<<(-?)(["']?)([A-Za-z_][A-Za-z0-9_]*)\2/g;
const isComment = (line: string) => line.trimStart().startsWith('#');

/**
 * Splits a Dockerfile into instructions the way BuildKit's parser does: parser directives are read
 * from the top (`# escape=`), comment lines are dropped (inside continuations too), a trailing escape
 * character joins the next line, and blank lines inside a continuation are skipped.
 */
export function splitInstructions(text: string): RawInstruction[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const { escapeChar } = parseDirectives(lines);
  const continuation = new RegExp(`\\${escapeChar}[ \t]*$`);
  const out: RawInstruction[] = [];
  let i = 0;
  while (i < lines.length) {
    let start = -1;
    let joined = '';
    let open = true;
    while (open && i < lines.length) {
      const line = lines[i++] ?? '';
      if (isComment(line) || line.trim() === '') continue;
      if (start < 0) start = i;
      open = continuation.test(line);
      joined += line.replace(continuation, '');
    }
    if (start < 0) continue;
    const instruction = toInstruction(joined.trim(), start, escapeChar);
    if (instruction.heredoc) i = skipHeredocBodies(lines, i, instruction);
    out.push(instruction);
  }
  return out;
}

function toInstruction(text: string, line: number, escapeChar: EscapeChar): RawInstruction {
  const [keyword = '', rest = ''] = text.split(/\s+(.*)/s);
  let args = rest.trim();
  const flags: string[] = [];
  for (let flag = /^--\S+/.exec(args); flag; flag = /^--\S+/.exec(args)) {
    flags.push(flag[0]);
    args = args.slice(flag[0].length).trimStart();
  }
  const upper = keyword.toUpperCase();
  const heredoc = ['RUN', 'COPY', 'ADD'].includes(upper) && new RegExp(HEREDOC.source).test(args);
  return { line, keyword: upper, flags, args, heredoc, escapeChar };
}

/** Consumes the body of each heredoc the instruction opens, in order; resolves to the next line index. */
function skipHeredocBodies(lines: string[], from: number, instruction: RawInstruction): number {
  let i = from;
  for (const [, dash, , name] of instruction.args.matchAll(HEREDOC)) {
    const ends = (line: string) => (dash ? line.replace(/^\t+/, '') : line) === name;
    while (i < lines.length && !ends(lines[i] ?? '')) i++;
    if (i === lines.length) {
      throw imageErrors.dockerfileInvalid(instruction.line, `heredoc ${name} is not terminated`);
    }
    i++;
  }
  return i;
}
