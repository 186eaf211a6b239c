import type { EscapeChar } from './directives.js';

/** Looks a variable up for substitution; undefined when it is not set. */
export type Lookup = (name: string) => string | undefined;

const NAME = /^[A-Za-z_][A-Za-z0-9_]*/;

/**
 * A Dockerfile's word processing (BuildKit's shell lexer, the subset Dockerfiles use): single quotes
 * are literal, double quotes group and still substitute, the escape character (`\`, or `` ` `` after
 * `# escape=`) escapes the next one,
 * `$NAME` and `${NAME}` substitute, with `${NAME:-default}`, `${NAME-default}`, `${NAME:+alt}`,
 * `${NAME+alt}`, `${NAME:?message}` and `${NAME?message}`. A substitution is never split into words.
 */
class Lexer {
  private i = 0;
  /** Whether the word being read had quotes: `""` is an empty word, an unset `$X` is none. */
  private quoted = false;

  constructor(
    private readonly text: string,
    private readonly lookup: Lookup,
    private readonly escapeChar: EscapeChar,
  ) {}

  /** Words separated by unquoted whitespace; quotes removed, variables substituted. */
  words(): string[] {
    const out: string[] = [];
    for (;;) {
      while (/\s/.test(this.text[this.i] ?? '')) this.i++;
      if (this.i >= this.text.length) return out;
      this.quoted = false;
      const word = this.word(/\s/);
      if (word !== '' || this.quoted) out.push(word);
    }
  }

  /** Reads up to an unquoted character matching `stop` (or the end). */
  word(stop: RegExp | undefined): string {
    let out = '';
    while (this.i < this.text.length) {
      const ch = this.text[this.i] as string;
      if (stop?.test(ch)) break;
      this.i++;
      if (ch === "'" || ch === '"') this.quoted = true;
      if (ch === "'") out += this.until("'");
      else if (ch === '"') out += this.doubleQuoted();
      else if (ch === this.escapeChar) out += this.text[this.i++] ?? '';
      else if (ch === '$') out += this.dollar();
      else out += ch;
    }
    return out;
  }

  private until(end: string): string {
    const close = this.text.indexOf(end, this.i);
    if (close < 0) throw new Error(`unterminated ${end} quote`);
    const out = this.text.slice(this.i, close);
    this.i = close + 1;
    return out;
  }

  private doubleQuoted(): string {
    let out = '';
    for (;;) {
      const ch = this.text[this.i++];
      if (ch === undefined) throw new Error('unterminated " quote');
      if (ch === '"') return out;
      if (ch === this.escapeChar && ['"', '$', this.escapeChar].includes(this.text[this.i] ?? ''))
        out += this.text[this.i++];
      else if (ch === '$') out += this.dollar();
      else out += ch;
    }
  }

  private dollar(): string {
    const rest = this.text.slice(this.i);
    const bare = NAME.exec(rest);
    if (bare) {
      this.i += bare[0].length;
      return this.lookup(bare[0]) ?? '';
    }
    if (rest[0] !== '{') return '$';
    const braced = /^\{([A-Za-z_][A-Za-z0-9_]*)(:?[-+?])?/.exec(rest);
    if (!braced) throw new Error(`bad substitution in ${this.text}`);
    this.i += braced[0].length;
    const operand = braced[2] ? this.word(/\}/) : '';
    if (this.text[this.i++] !== '}') throw new Error(`missing } in ${this.text}`);
    return expand(braced[1] as string, braced[2], operand, this.lookup);
  }
}

function expand(name: string, operator: string | undefined, operand: string, lookup: Lookup): string {
  const value = lookup(name);
  const unset = operator?.startsWith(':') ? !value : value === undefined;
  switch (operator?.replace(':', '')) {
    case '-':
      return unset ? operand : (value ?? '');
    case '+':
      return unset ? '' : operand;
    case '?':
      if (unset) throw new Error(`${name}: ${operand || 'is not set'}`);
      return value ?? '';
    default:
      return value ?? '';
  }
}

/** Splits `text` into words (quotes removed, variables substituted). Throws on a malformed quote. */
export const processWords = (text: string, lookup: Lookup, escapeChar: EscapeChar): string[] =>
  new Lexer(text, lookup, escapeChar).words();

/** Processes `text` as one word: quotes removed and variables substituted, whitespace kept. */
export const processWord = (text: string, lookup: Lookup, escapeChar: EscapeChar): string =>
  new Lexer(text, lookup, escapeChar).word(undefined);
