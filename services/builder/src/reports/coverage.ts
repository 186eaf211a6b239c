import { xmlTags } from './xml.js';

/** Percentages, as build events carry them (docs/events.md). */
export interface Coverage {
  lines?: number;
  branches?: number;
  functions?: number;
  statements?: number;
}

export type CoverageFormat = 'istanbul' | 'lcov' | 'cobertura';

const percent = (value: number) => Math.round(value * 100) / 100;
const ratio = (hit: number, found: number) => (found > 0 ? percent((hit / found) * 100) : undefined);

function defined(coverage: Coverage): Coverage | undefined {
  const entries = Object.entries(coverage).filter(([, v]) => typeof v === 'number' && Number.isFinite(v));
  return entries.length > 0 ? (Object.fromEntries(entries) as Coverage) : undefined;
}

/** Istanbul's `coverage-summary.json` (nyc, c8, jest `json-summary`): the `total` entry's percentages. */
export function parseIstanbulSummary(text: string): Coverage | undefined {
  const total = (JSON.parse(text) as { total?: Record<string, { pct?: unknown }> }).total ?? {};
  const pct = (key: string) => {
    const value = total[key]?.pct;
    return typeof value === 'number' ? percent(value) : undefined;
  };
  return defined({
    lines: pct('lines'),
    branches: pct('branches'),
    functions: pct('functions'),
    statements: pct('statements'),
  });
}

/** An lcov tracefile: found/hit totals over every file record. lcov has no statements. */
export function parseLcov(text: string): Coverage | undefined {
  const sums: Record<string, number> = { LF: 0, LH: 0, BRF: 0, BRH: 0, FNF: 0, FNH: 0 };
  for (const line of text.split(/\r?\n/)) {
    const [key, value] = line.split(':', 2);
    if (key && key in sums) sums[key]! += Number(value) || 0;
  }
  return defined({
    lines: ratio(sums.LH!, sums.LF!),
    branches: ratio(sums.BRH!, sums.BRF!),
    functions: ratio(sums.FNH!, sums.FNF!),
  });
}

/** Cobertura XML: the root element's `line-rate` and `branch-rate` (0 to 1). */
export function parseCobertura(text: string): Coverage | undefined {
  for (const tag of xmlTags(text)) {
    if (tag.name !== 'coverage' || tag.kind === 'close') continue;
    const rate = (name: string) => {
      const value = Number.parseFloat(tag.attributes[name] ?? '');
      return Number.isFinite(value) ? percent(value * 100) : undefined;
    };
    return defined({ lines: rate('line-rate'), branches: rate('branch-rate') });
  }
  return undefined;
}

/** Which format a report is, by its content, so a path is all `.gitops.yaml` has to name. */
export function detectCoverageFormat(text: string): CoverageFormat | undefined {
  const start = text.trimStart();
  if (start.startsWith('{')) return 'istanbul';
  if (start.startsWith('<') && /<coverage[\s>]/.test(text)) return 'cobertura';
  if (/^(SF|LF|DA):/m.test(text)) return 'lcov';
  return undefined;
}

const parsers = { istanbul: parseIstanbulSummary, lcov: parseLcov, cobertura: parseCobertura };

/** The coverage a report states; undefined for a report that is malformed, of no known format or without totals. */
export function parseCoverage(text: string): Coverage | undefined {
  const format = detectCoverageFormat(text);
  try {
    return format ? parsers[format](text) : undefined;
  } catch {
    return undefined;
  }
}
