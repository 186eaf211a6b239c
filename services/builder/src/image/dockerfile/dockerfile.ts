import { isAppError } from '@gitops/errors';
import { imageErrors } from '../errors.js';
import { type RawInstruction, splitInstructions } from './lines.js';

export type { RawInstruction } from './lines.js';

const KNOWN = new Set([
  ...['FROM', 'RUN', 'CMD', 'LABEL', 'MAINTAINER', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT'],
  ...['VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'],
]);

/** What the native driver implements; anything else in a Dockerfile needs buildah. */
const NATIVE = new Set([
  ...['FROM', 'ARG', 'ENV', 'WORKDIR', 'USER', 'EXPOSE', 'LABEL', 'ENTRYPOINT', 'CMD'],
  ...['COPY', 'ADD', 'VOLUME', 'STOPSIGNAL', 'SHELL'],
]);

/**
 * Parses a Dockerfile into instructions and checks what every builder requires: known instructions,
 * and a FROM before anything but ARG. Throws GITOPS_BUILD_DOCKERFILE_INVALID naming the line.
 */
export function parseDockerfile(text: string): RawInstruction[] {
  const instructions = splitInstructions(text);
  const first = instructions.find((i) => i.keyword !== 'ARG');
  if (!first) throw imageErrors.dockerfileInvalid(1, 'no FROM instruction');
  if (first.keyword !== 'FROM') {
    throw imageErrors.dockerfileInvalid(first.line, `${first.keyword} before the first FROM`);
  }
  const unknown = instructions.find((i) => !KNOWN.has(i.keyword));
  if (unknown) throw imageErrors.dockerfileInvalid(unknown.line, `unknown instruction ${unknown.keyword}`);
  return instructions;
}

/**
 * Throws GITOPS_BUILD_NATIVE_UNSUPPORTED naming the first line the native driver cannot build: RUN and
 * the other instructions it does not implement, a second FROM (multi-stage), heredocs, and flags other
 * than COPY/ADD's `--link` (every layer it writes is independent already).
 */
export function checkNative(instructions: RawInstruction[]): void {
  let froms = 0;
  for (const instruction of instructions) {
    const { keyword, line, flags } = instruction;
    if (!NATIVE.has(keyword)) throw imageErrors.nativeUnsupported(line, keyword);
    if (keyword === 'FROM' && ++froms > 1) {
      throw imageErrors.nativeUnsupported(line, 'a second FROM (multi-stage build)');
    }
    if (instruction.heredoc) throw imageErrors.nativeUnsupported(line, `a heredoc in ${keyword}`);
    const flag = flags.find((f) => !(f === '--link' && (keyword === 'COPY' || keyword === 'ADD')));
    if (flag) throw imageErrors.nativeUnsupported(line, `${keyword} ${flag.split('=')[0]}`);
  }
}

/** The exec form's strings when `args` is a JSON array of strings; undefined for the shell form. */
export function execForm(args: string): string[] | undefined {
  if (!args.startsWith('[')) return undefined;
  try {
    const parsed: unknown = JSON.parse(args);
    if (Array.isArray(parsed) && parsed.every((s) => typeof s === 'string')) return parsed;
  } catch {
    // Not JSON: Docker runs it in the shell form, brackets and all.
  }
  return undefined;
}

/** Turns a lexer error (a bad quote, `${X:?message}`) into GITOPS_BUILD_DOCKERFILE_INVALID naming the line. */
export function withLine<T>(line: number, fn: () => T): T {
  try {
    return fn();
  } catch (err) {
    if (isAppError(err)) throw err;
    throw imageErrors.dockerfileInvalid(line, err instanceof Error ? err.message : String(err));
  }
}
