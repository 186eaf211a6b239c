import { type RawInstruction, withLine } from './dockerfile.js';
import { processWords } from './words.js';

export interface FromLine {
  /** The image reference with ARGs substituted: a registry image, `scratch`, or an earlier stage's name. */
  image: string;
  /** The stage's name (`FROM image AS name`). */
  alias?: string;
  line: number;
  /** Its index in the instructions. */
  index: number;
}

export interface Stages {
  froms: FromLine[];
  /** The ARGs declared before the first FROM: defaults for a later `ARG NAME`. */
  globalArgs: Map<string, string | undefined>;
}

/** Declares ARGs (`NAME` or `NAME=default`): a build arg wins, then the default, then `fallback`. */
export function declareArgs(
  words: string[],
  buildArgs: Record<string, string>,
  fallback: (name: string) => string | undefined,
): Map<string, string | undefined> {
  const declared = new Map<string, string | undefined>();
  for (const word of words) {
    const eq = word.indexOf('=');
    const name = eq < 0 ? word : word.slice(0, eq);
    declared.set(name, buildArgs[name] ?? (eq < 0 ? fallback(name) : word.slice(eq + 1)));
  }
  return declared;
}

/**
 * Evaluates the ARGs before the first FROM (build args override their defaults) and substitutes them
 * into every FROM line, as Docker does: only those ARGs are visible to FROM.
 */
export function resolveStages(instructions: RawInstruction[], buildArgs: Record<string, string>): Stages {
  const globalArgs = new Map<string, string | undefined>();
  const lookup = (name: string) => globalArgs.get(name);
  const first = instructions.findIndex((i) => i.keyword === 'FROM');
  for (const arg of instructions.slice(0, first < 0 ? 0 : first)) {
    const words = withLine(arg.line, () => processWords(arg.args, lookup, arg.escapeChar));
    for (const [name, value] of declareArgs(words, buildArgs, () => undefined)) globalArgs.set(name, value);
  }
  const froms: FromLine[] = [];
  for (const [index, { keyword, args, line, escapeChar }] of instructions.entries()) {
    if (keyword !== 'FROM') continue;
    const [image = '', as, alias] = withLine(line, () => processWords(args, lookup, escapeChar));
    froms.push({ image, line, index, ...(as?.toUpperCase() === 'AS' && alias ? { alias } : {}) });
  }
  return { froms, globalArgs };
}

/** The FROM images that come from a registry: not `scratch`, not an earlier stage. */
export function registryImages(froms: FromLine[]): FromLine[] {
  return froms.filter((f, i) => f.image !== 'scratch' && !froms.slice(0, i).some((s) => s.alias === f.image));
}
