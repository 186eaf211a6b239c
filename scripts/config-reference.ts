// docs/configuration.md, generated from the services' env specs: `write` regenerates it, `check`
// fails when it is stale or a variable has no description. Every `services/*/src/config.ts` on disk
// is read, and every export shaped like an env spec (an object whose values are all EnvVar readers)
// counts, so a new service, or a shared variable spread into the specs, needs no change here.
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { EnvSpec, EnvVar } from '@gitops/config';
import { tsImport } from 'tsx/esm/api';
import { FOOTER, HEADER } from './config-reference-text.js';

type Reader = EnvVar<unknown>;
/** Per variable, in first-seen order: the service that reads it and how. */
type Variables = Map<string, Map<string, Reader>>;

const root = resolve(import.meta.dirname, '..');
const target = resolve(root, 'docs/configuration.md');
const usage = 'usage: tsx scripts/config-reference.ts write|check';

const isReader = (value: unknown): value is Reader =>
  typeof value === 'object' &&
  value !== null &&
  typeof (value as Reader).parse === 'function' &&
  typeof (value as Reader).describe === 'function';

const isSpec = (value: unknown): value is EnvSpec =>
  typeof value === 'object' &&
  value !== null &&
  Object.keys(value).length > 0 &&
  Object.values(value).every(isReader);

async function readSpecs(): Promise<Map<string, EnvSpec>> {
  const specs = new Map<string, EnvSpec>();
  for (const service of readdirSync(resolve(root, 'services')).sort()) {
    const file = resolve(root, 'services', service, 'src/config.ts');
    if (!existsSync(file)) continue;
    // tsconfig.check.json maps @gitops/* to the packages' sources: no build needed, no stale dist read.
    const mod = await tsImport(file, {
      parentURL: import.meta.url,
      tsconfig: resolve(root, 'tsconfig.check.json'),
    });
    const found = Object.values(mod as Record<string, unknown>).filter(isSpec);
    if (found.length === 0) throw new Error(`services/${service}/src/config.ts exports no env spec`);
    specs.set(service, Object.assign({}, ...found));
  }
  return specs;
}

function byVariable(specs: Map<string, EnvSpec>): Variables {
  const variables: Variables = new Map();
  for (const [service, spec] of specs) {
    for (const [name, reader] of Object.entries(spec)) {
      variables.set(name, (variables.get(name) ?? new Map()).set(service, reader));
    }
  }
  return variables;
}

function undescribed(variables: Variables): string[] {
  return [...variables].flatMap(([name, readers]) =>
    [...readers]
      .filter(([, reader]) => !reader.description?.trim())
      .map(([service]) => `${service}: ${name}`),
  );
}

function defaultOf(reader: Reader): string {
  if (reader.fallback !== undefined) return `\`${reader.fallback}\``;
  try {
    reader.parse(undefined);
    return 'unset';
  } catch {
    return 'required';
  }
}

/** One text when every service agrees, else each service's own. */
function merged(readers: Map<string, Reader>, text: (reader: Reader) => string): string {
  const texts = [...readers].map(([service, reader]) => [service, text(reader)] as const);
  if (new Set(texts.map(([, t]) => t)).size === 1) return texts[0]![1];
  return texts.map(([service, t]) => `**${service}**: ${t}`).join('<br>');
}

const cell = (text: string) => text.replaceAll('|', '\\|').replaceAll('\n', ' ');

function row(name: string, readers: Map<string, Reader>, readBy?: string): string {
  const cells = [
    `\`${name}\``,
    ...(readBy === undefined ? [] : [readBy]),
    merged(readers, defaultOf),
    merged(readers, (reader) => reader.doc),
    merged(readers, (reader) => reader.description ?? ''),
  ];
  return `| ${cells.map(cell).join(' | ')} |`;
}

function render(specs: Map<string, EnvSpec>): string {
  const variables = byVariable(specs);
  const everywhere = [...variables].filter(([, readers]) => readers.size === specs.size);
  const some = [...variables].filter(([, readers]) => readers.size < specs.size);
  return [
    HEADER,
    `## Every service (${[...specs.keys()].join(', ')})`,
    '',
    '| variable | default | value | meaning |',
    '| --- | --- | --- | --- |',
    ...everywhere.map(([name, readers]) => row(name, readers)),
    '',
    '## One service or a few',
    '',
    '| variable | read by | default | value | meaning |',
    '| --- | --- | --- | --- | --- |',
    ...some.map(([name, readers]) => row(name, readers, [...readers.keys()].join(', '))),
    '',
    FOOTER,
  ].join('\n');
}

async function main(mode: string | undefined): Promise<number> {
  if (mode !== 'write' && mode !== 'check') return fail(usage);
  const specs = await readSpecs();
  const missing = undescribed(byVariable(specs));
  if (missing.length > 0) {
    return fail(
      `variables without a description (add .describe('…') in services/<name>/src/config.ts or where the variable is defined): ${missing.join(', ')}`,
    );
  }
  const text = render(specs);
  if (mode === 'write') {
    writeFileSync(target, text);
    return 0;
  }
  const current = existsSync(target) ? readFileSync(target, 'utf8') : '';
  if (current === text) return 0;
  return fail('docs/configuration.md is stale: run `pnpm run config:docs` and commit the result');
}

function fail(message: string): number {
  process.stderr.write(`config-reference: ${message}\n`);
  return 1;
}

process.exitCode = await main(process.argv[2]);
