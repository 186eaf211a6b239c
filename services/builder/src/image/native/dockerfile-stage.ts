import { posix } from 'node:path';
import type { EscapeChar } from '../dockerfile/directives.js';
import { type RawInstruction, execForm, withLine } from '../dockerfile/dockerfile.js';
import { declareArgs } from '../dockerfile/from.js';
import { type Lookup, processWord, processWords } from '../dockerfile/words.js';
import { imageErrors } from '../errors.js';
import { type ContainerConfig, envValue, withEnv } from './image-config.js';

/** A COPY or ADD with its variables substituted and its destination made absolute. */
export interface CopyStep {
  line: number;
  keyword: 'COPY' | 'ADD';
  sources: string[];
  /** Absolute; a trailing `/` (or `.`) as written says it is a directory. */
  dest: string;
}

/** One instruction's effect: a history entry, and for COPY/ADD the layer it adds. */
export interface StageStep {
  createdBy: string;
  copy?: CopyStep;
}

export interface StagePlan {
  config: ContainerConfig;
  steps: StageStep[];
}

interface State {
  config: ContainerConfig;
  args: Map<string, string>;
  /** ARGs declared before FROM: their values are defaults for a later `ARG NAME`. */
  globalArgs: Map<string, string | undefined>;
  buildArgs: Record<string, string>;
  shell: string[];
  /** Whether this Dockerfile set CMD: ENTRYPOINT drops an inherited CMD, not its own. */
  cmdSet: boolean;
}

type Handler = (state: State, instruction: RawInstruction, lookup: Lookup) => CopyStep | undefined;

/**
 * Runs the instructions after FROM over the base image's config (pure: no file system): ENV and ARG
 * feed `${VAR}` substitution the way Docker's do (ENV wins over ARG; build args override ARG
 * defaults), ENTRYPOINT drops an inherited CMD, and each COPY/ADD becomes a step for a layer.
 */
export function planStage(
  instructions: RawInstruction[],
  base: ContainerConfig,
  options: { buildArgs: Record<string, string>; globalArgs: Map<string, string | undefined> },
): StagePlan {
  const state: State = {
    config: structuredClone(base),
    args: new Map(),
    globalArgs: options.globalArgs,
    buildArgs: options.buildArgs,
    shell: ['/bin/sh', '-c'],
    cmdSet: false,
  };
  const lookup: Lookup = (name) => envValue(state.config.Env, name) ?? state.args.get(name);
  const steps: StageStep[] = [];
  for (const instruction of instructions) {
    const handler = HANDLERS[instruction.keyword];
    if (!handler) throw imageErrors.nativeUnsupported(instruction.line, instruction.keyword);
    const copy = withLine(instruction.line, () => handler(state, instruction, lookup));
    if (instruction.keyword !== 'ARG') {
      steps.push({ createdBy: `${instruction.keyword} ${instruction.args}`, ...(copy ? { copy } : {}) });
    }
  }
  return { config: state.config, steps };
}

/** `NAME=value …` pairs, or the legacy `NAME value` form (one pair, the value the rest of the line). */
function pairs(args: string, lookup: Lookup, escapeChar: EscapeChar): [string, string][] {
  const words = processWords(args, lookup, escapeChar);
  const first = words[0];
  if (first === undefined) throw new Error('expects NAME=value');
  if (!first.includes('=')) return [[first, processWord(args.replace(/^\S+\s*/, ''), lookup, escapeChar)]];
  return words.map((word) => {
    const eq = word.indexOf('=');
    if (eq <= 0) throw new Error(`${word} is not NAME=value`);
    return [word.slice(0, eq), word.slice(eq + 1)];
  });
}

/** The exec form as written, or the shell form run by the SHELL in effect. */
const command = (state: State, args: string) => execForm(args) ?? [...state.shell, args];

function exposedPorts(word: string): string[] {
  const match = /^(\d+)(?:-(\d+))?(?:\/(tcp|udp|sctp))?$/i.exec(word);
  if (!match) throw new Error(`EXPOSE ${word} is not a port, port range or port/protocol`);
  const first = Number(match[1]);
  const last = Number(match[2] ?? first);
  const protocol = (match[3] ?? 'tcp').toLowerCase();
  if (last < first || last > 65535) throw new Error(`EXPOSE ${word} is not a valid port range`);
  return Array.from({ length: last - first + 1 }, (_, i) => `${first + i}/${protocol}`);
}

function copyStep(
  state: State,
  { keyword, line, args, escapeChar }: RawInstruction,
  lookup: Lookup,
): CopyStep {
  const words =
    execForm(args)?.map((w) => processWord(w, lookup, escapeChar)) ?? processWords(args, lookup, escapeChar);
  const dest = words.pop();
  if (dest === undefined || words.length === 0)
    throw new Error(`${keyword} needs a source and a destination`);
  const workdir = state.config.WorkingDir || '/';
  const absolute = posix.resolve(workdir, dest);
  // WORKDIR made the directory, so a bare `COPY x /workdir` copies into it.
  const directory = /(^|\/)\.?$/.test(dest) || absolute === state.config.WorkingDir ? '/' : '';
  return {
    line,
    keyword: keyword as CopyStep['keyword'],
    sources: words,
    dest: absolute === '/' ? '/' : absolute + directory,
  };
}

const HANDLERS: Record<string, Handler> = {
  ARG: (state, { args, escapeChar }, lookup) => {
    const fallback = (name: string) => state.globalArgs.get(name);
    const declared = declareArgs(processWords(args, lookup, escapeChar), state.buildArgs, fallback);
    for (const [name, value] of declared) if (value !== undefined) state.args.set(name, value);
    return undefined;
  },
  ENV: (state, { args, escapeChar }, lookup) => {
    for (const [name, value] of pairs(args, lookup, escapeChar))
      state.config.Env = withEnv(state.config.Env, name, value);
    return undefined;
  },
  LABEL: (state, { args, escapeChar }, lookup) => {
    state.config.Labels = { ...state.config.Labels, ...Object.fromEntries(pairs(args, lookup, escapeChar)) };
    return undefined;
  },
  WORKDIR: (state, { args, escapeChar }, lookup) => {
    state.config.WorkingDir = posix.resolve(
      state.config.WorkingDir || '/',
      processWord(args, lookup, escapeChar),
    );
    return undefined;
  },
  USER: (state, { args, escapeChar }, lookup) => {
    state.config.User = processWord(args, lookup, escapeChar);
    return undefined;
  },
  EXPOSE: (state, { args, escapeChar }, lookup) => {
    const ports = processWords(args, lookup, escapeChar).flatMap(exposedPorts);
    state.config.ExposedPorts = {
      ...state.config.ExposedPorts,
      ...Object.fromEntries(ports.map((p) => [p, {}])),
    };
    return undefined;
  },
  VOLUME: (state, { args, escapeChar }, lookup) => {
    const paths =
      execForm(args)?.map((w) => processWord(w, lookup, escapeChar)) ??
      processWords(args, lookup, escapeChar);
    state.config.Volumes = { ...state.config.Volumes, ...Object.fromEntries(paths.map((p) => [p, {}])) };
    return undefined;
  },
  STOPSIGNAL: (state, { args, escapeChar }, lookup) => {
    state.config.StopSignal = processWord(args, lookup, escapeChar);
    return undefined;
  },
  SHELL: (state, { args }) => {
    const shell = execForm(args);
    if (!shell || shell.length === 0)
      throw new Error('SHELL needs the JSON form: SHELL ["executable", "parameters"]');
    state.shell = shell;
    return undefined;
  },
  CMD: (state, { args }) => {
    state.config.Cmd = command(state, args);
    state.cmdSet = true;
    return undefined;
  },
  ENTRYPOINT: (state, { args }) => {
    state.config.Entrypoint = command(state, args);
    if (!state.cmdSet) state.config.Cmd = undefined;
    return undefined;
  },
  COPY: copyStep,
  ADD: copyStep,
};
