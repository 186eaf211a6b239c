import { stripVTControlCharacters } from 'node:util';
import type { Paint } from '../colour.js';

export interface PipelineSummary {
  id: string;
  app: string;
  branch: string | null;
  commit: string | null;
  startedAt: string;
  status: string;
  stage: string;
}

export interface StageView {
  stage: string;
  environment: string | null;
  startedAt: string | null;
  endedAt: string | null;
  durationMs: number | null;
  outcome: string;
  detail: Record<string, unknown>;
}

/** 850 ms, 12.3 s, 4m05s, 3h12m, 2d04h. */
export function duration(ms: number | null | undefined): string {
  if (ms === null || ms === undefined) return '-';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const pad = (n: number) => String(Math.floor(n)).padStart(2, '0');
  if (ms < 3_600_000) return `${Math.floor(ms / 60_000)}m${pad((ms % 60_000) / 1000)}s`;
  if (ms < 86_400_000) return `${Math.floor(ms / 3_600_000)}h${pad((ms % 3_600_000) / 60_000)}m`;
  return `${Math.floor(ms / 86_400_000)}d${pad((ms % 86_400_000) / 3_600_000)}h`;
}

const colourOf = (paint: Paint, outcome: string) =>
  outcome === 'failed' || outcome === 'rejected'
    ? paint.red
    : outcome === 'running'
      ? paint.dim
      : paint.green;

/** The width a cell takes on a terminal: colour codes take none. */
const width = (cell: string) => stripVTControlCharacters(cell).length;

/** Left-aligned columns. */
export function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => width(row[i]!))));
  return rows.map((row) =>
    row
      .map((cell, i) => cell + ' '.repeat(widths[i]! - width(cell)))
      .join('  ')
      .trimEnd(),
  );
}

export function pipelineLines(pipelines: PipelineSummary[], paint: Paint): string[] {
  if (pipelines.length === 0) return ['no pipelines'];
  return table([
    ['PIPELINE', 'APP', 'BRANCH', 'COMMIT', 'STARTED', 'STATUS', 'STAGE'],
    ...pipelines.map((p) => [
      p.id,
      p.app,
      p.branch ?? '-',
      p.commit?.slice(0, 7) ?? '-',
      p.startedAt.replace('T', ' ').slice(0, 19),
      colourOf(paint, p.status)(p.status),
      p.stage,
    ]),
  ]);
}

const BAR = 30;

/** One line per stage: name, a bar placed on the pipeline's time axis, duration, outcome. */
export function timelineLines(stages: StageView[], paint: Paint): string[] {
  const times = stages
    .flatMap((s) => [s.startedAt, s.endedAt])
    .filter((t): t is string => t !== null)
    .map(Date.parse);
  if (times.length === 0) return ['no stages yet'];
  const start = Math.min(...times);
  const span = Math.max(Math.max(...times) - start, 1);
  const at = (iso: string | null) => (iso ? Math.round(((Date.parse(iso) - start) / span) * BAR) : 0);
  return table(
    stages.map((s) => {
      const from = at(s.startedAt ?? s.endedAt);
      const to = Math.max(at(s.endedAt ?? s.startedAt), from + 1);
      const bar = `${' '.repeat(from)}${'█'.repeat(Math.min(to, BAR) - from || 1)}`.padEnd(BAR);
      const name = s.environment ? `${s.stage} ${s.environment}` : s.stage;
      const by = typeof s.detail.by === 'string' ? ` by ${s.detail.by}` : '';
      return [name, colourOf(paint, s.outcome)(`|${bar}|`), duration(s.durationMs), `${s.outcome}${by}`];
    }),
  );
}

export interface DoraEnvironment {
  environment: string;
  deployments: number;
  deploymentFrequency: { perDay: number; level: string };
  leadTimeMs: { median: number; p90: number; level: string } | null;
  changeFailureRate: { rate: number; level: string } | null;
  recoveryTimeMs: { median: number; level: string } | null;
  reworkRate: number | null;
}

const percent = (rate: number | null | undefined) =>
  rate === null || rate === undefined ? '-' : `${(rate * 100).toFixed(1)}%`;

export function doraLines(environments: DoraEnvironment[]): string[] {
  if (environments.length === 0) return ['no deployments in this range'];
  return table([
    ['ENVIRONMENT', 'DEPLOYS', 'FREQUENCY', 'LEAD TIME (MEDIAN/P90)', 'CHANGE FAILURE', 'RECOVERY', 'REWORK'],
    ...environments.map((e) => [
      e.environment,
      String(e.deployments),
      `${e.deploymentFrequency.perDay.toFixed(2)}/day ${e.deploymentFrequency.level}`,
      e.leadTimeMs
        ? `${duration(e.leadTimeMs.median)}/${duration(e.leadTimeMs.p90)} ${e.leadTimeMs.level}`
        : '-',
      e.changeFailureRate ? `${percent(e.changeFailureRate.rate)} ${e.changeFailureRate.level}` : '-',
      e.recoveryTimeMs ? `${duration(e.recoveryTimeMs.median)} ${e.recoveryTimeMs.level}` : '-',
      percent(e.reworkRate),
    ]),
  ]);
}
