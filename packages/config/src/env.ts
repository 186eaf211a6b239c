import { AppError } from '@gitops/errors';

/** How one environment variable is read: `parse` gets a trimmed non-blank value or undefined. */
export interface EnvVar<T> {
  parse(raw: string | undefined): T;
  /** The kind of value it takes (`a duration such as 30s`). */
  doc: string;
  /** The default as an operator would write it (`30m`, `10MiB`), when there is one. */
  fallback?: string;
  /** What the variable is for; docs/configuration.md is generated from these. */
  description?: string;
  /** The same variable, described: `env.duration('30m').describe('a whole build, checkout to image')`. */
  describe(description: string): EnvVar<T>;
}

function envVar<T>(fields: Omit<EnvVar<T>, 'describe'>): EnvVar<T> {
  return { ...fields, describe: (description) => envVar({ ...fields, description }) };
}

class Invalid extends Error {}

const required = (raw: string | undefined, what: string): string => {
  if (raw === undefined) throw new Invalid(`is required (${what})`);
  return raw;
};

function withDefault<T>(read: (raw: string) => T, fallback: T | undefined, what: string): EnvVar<T> {
  return envVar({
    doc: what,
    ...(fallback === undefined ? {} : { fallback: String(fallback) }),
    parse: (raw) => (raw === undefined && fallback !== undefined ? fallback : read(required(raw, what))),
  });
}

const UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
const BYTE_UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
};

export const env = {
  string: (fallback?: string): EnvVar<string> => withDefault((v) => v, fallback, 'a string'),
  optional: (): EnvVar<string | undefined> => envVar({ doc: 'a string', parse: (raw) => raw }),
  int: (fallback: number | undefined, min = 0, max = Number.MAX_SAFE_INTEGER): EnvVar<number> =>
    withDefault(
      (v) => {
        const n = Number(v);
        if (!/^-?\d+$/.test(v) || n < min || n > max)
          throw new Invalid(`must be an integer from ${min} to ${max}`);
        return n;
      },
      fallback,
      `an integer from ${min} to ${max}`,
    ),
  port: (fallback: number): EnvVar<number> => env.int(fallback, 1, 65535),
  oneOf: <T extends string>(values: readonly T[], fallback: T): EnvVar<T> =>
    withDefault(
      (v) => {
        if (!values.includes(v as T)) throw new Invalid(`must be one of ${values.join(', ')}`);
        return v as T;
      },
      fallback,
      `one of ${values.join(', ')}`,
    ),
  /** A comma-separated list of URLs with one of `protocols` (NATS_URL takes several servers). */
  urls: (fallback: string, protocols: string[]): EnvVar<string[]> =>
    withDefault(
      (v) =>
        v.split(',').map((item) => {
          const url = URL.canParse(item.trim()) ? new URL(item.trim()) : undefined;
          if (!url || !protocols.includes(url.protocol)) {
            throw new Invalid(
              `must be ${protocols.map((p) => `${p}//…`).join(' or ')} URLs, comma separated`,
            );
          }
          return item.trim();
        }),
      fallback.split(','),
      `${protocols.join('/')} URL(s)`,
    ),
  url: (fallback: string | undefined, protocols: string[]): EnvVar<string> => {
    const list = env.urls(fallback ?? '', protocols);
    return envVar({
      doc: list.doc.replace('URL(s)', 'URL'),
      ...(fallback === undefined ? {} : { fallback }),
      parse: (raw) => {
        if (raw === undefined && fallback === undefined) throw new Invalid('is required (a URL)');
        const [first, ...rest] = list.parse(raw);
        if (rest.length > 0) throw new Invalid('must be a single URL');
        return first!;
      },
    });
  },
  /** `250ms`, `30s`, `5m`, `72h`, `7d`, or a bare number of milliseconds. */
  duration: (fallback: string): EnvVar<number> => durationVar(fallback),
  /** `5MiB`, `512KiB`, `1000000`. */
  bytes: (fallback: string): EnvVar<number> =>
    envVar({
      doc: 'a size such as 5MiB',
      fallback,
      parse: (raw) => {
        const m = /^(\d+)\s*([kmg]i?b|b)?$/i.exec(raw ?? fallback);
        if (!m) throw new Invalid('must be a size such as 512KiB, 5MiB or 1000000');
        return Number(m[1]) * BYTE_UNITS[(m[2] ?? '').toLowerCase()]!;
      },
    }),
};

function durationVar(fallback: string): EnvVar<number> {
  return envVar({
    doc: 'a duration such as 30s',
    fallback,
    parse: (raw) => {
      const m = /^(\d+)(ms|s|m|h|d)?$/.exec(raw ?? fallback);
      if (!m) throw new Invalid('must be a duration such as 500ms, 30s, 5m, 72h or 7d');
      return Number(m[1]) * UNITS[m[2] ?? 'ms']!;
    },
  });
}

export type EnvSpec = Record<string, EnvVar<unknown>>;
export type ConfigOf<S extends EnvSpec> = { [K in keyof S]: S[K] extends EnvVar<infer T> ? T : never };

/** Text with the password of every URL in it (`nats://user:pass@host`) replaced by `***`, for messages and logs. */
export const redactUrls = (text: string): string => text.replace(/(\/\/[^\s:@/,]*):[^\s,]*@/g, '$1:***@');

export interface ConfigIssue {
  variable: string;
  problem: string;
}

export class ConfigError extends AppError {
  constructor(readonly issues: ConfigIssue[]) {
    super(
      'GITOPS_CONFIG_INVALID',
      `invalid configuration: ${issues.map((i) => `${i.variable} ${i.problem}`).join('; ')}`,
    );
  }
}

/**
 * Reads every variable of `spec` from `source`. Blank means unset. All problems are collected and
 * thrown together, so one start tells the operator everything that is wrong.
 */
export function loadConfig<S extends EnvSpec>(spec: S, source: NodeJS.ProcessEnv = process.env): ConfigOf<S> {
  const out: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  for (const [variable, reader] of Object.entries(spec)) {
    const raw = source[variable]?.trim();
    try {
      out[variable] = reader.parse(raw === '' ? undefined : raw);
    } catch (err) {
      if (!(err instanceof Invalid)) throw err;
      const got = raw === undefined ? '' : ` (got "${redactUrls(raw)}")`;
      issues.push({ variable, problem: `${err.message}${got}` });
    }
  }
  if (issues.length > 0) throw new ConfigError(issues);
  return out as ConfigOf<S>;
}
