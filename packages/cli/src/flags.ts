import { redactUrls } from '@gitops/config';
import type { Options, PositionalOptions } from 'yargs';
import type { Io } from './io.js';
import { UsageError } from './usage.js';

export type OutputFormat = 'text' | 'json';

export const outputFlag = {
  alias: 'o',
  choices: ['text', 'json'] as const,
  default: 'text' as OutputFormat,
  requiresArg: true,
  describe: 'text for people, json for programs',
} satisfies Options;

/** The `<app>` (or `<name>`) argument of the commands about one application. */
export const appArgument = {
  type: 'string',
  demandOption: true,
  describe: 'the application',
} as const satisfies PositionalOptions;

/** `-e <environment>` of the reconciler's commands about one application environment. */
export const environmentFlag = {
  alias: 'e',
  type: 'string',
  requiresArg: true,
  describe: 'default: the first',
} as const satisfies Options;

/** A string flag whose default comes from an environment variable, documented as such in the help. */
export const envFlag = (describe: string, variable: string, fallback?: string) => ({
  type: 'string' as const,
  requiresArg: true,
  describe,
  defaultDescription: fallback ? `$${variable}, else ${fallback}` : `$${variable}`,
});

/** Reads a raw value, throwing an error whose message completes `--flag …` (config's env parsers fit). */
export interface ValueReader<T> {
  parse(raw: string | undefined): T;
}

/** An http:// or https:// URL. */
export const httpUrl = (fallback: string): ValueReader<string> => ({
  parse: (raw) => {
    const value = raw ?? fallback;
    const url = URL.canParse(value) ? new URL(value) : undefined;
    if (url?.protocol !== 'http:' && url?.protocol !== 'https:')
      throw new Error('must be an http:// or https:// URL');
    return value;
  },
});

/**
 * A flag's value, read with one of the config package's parsers: from the command line, else from
 * `variable`, else the parser's default. A bad value is a usage error naming the flag (and the
 * variable, when the value came from there).
 */
export function flagValue<T>(
  flag: string,
  raw: string | undefined,
  reader: ValueReader<T>,
  io: Io,
  variable?: string,
): T {
  const fromEnv = raw === undefined && variable ? io.env[variable]?.trim() || undefined : undefined;
  const value = raw?.trim() ?? fromEnv;
  try {
    return reader.parse(value === '' ? undefined : value);
  } catch (err) {
    const source = fromEnv === undefined ? '' : ` from ${variable}`;
    const got = value === undefined ? '' : ` (got "${redactUrls(value)}"${source})`;
    throw new UsageError(`--${flag} ${(err as Error).message}${got}`);
  }
}
