import type { Sql } from '../ports.js';
import { Where, encodeCursor, iso, limit } from './where.js';

export interface PipelineFilter {
  app?: string | undefined;
  status?: string | undefined;
  limit: number;
  /** The decoded cursor: [startedAt ISO, pipelineId] of the last row seen. */
  after?: [string, string] | undefined;
}

interface PipelineRow {
  pipeline_id: string;
  app: string;
  branch: string | null;
  commit: string | null;
  commit_time: number | null;
  pusher: string | null;
  started_at: number;
  updated_at: number;
  status: string;
  stage: string;
  digest: string | null;
}

interface StageRow {
  stage: string;
  environment: string;
  started_at: number | null;
  ended_at: number | null;
  outcome: string;
  detail: Record<string, unknown>;
}

const COLUMNS = `pipeline_id, app, branch, commit, ms(commit_time) as commit_time, pusher, ms(started_at) as started_at,
  ms(updated_at) as updated_at, status, stage, digest`;

const pipelineOf = (row: PipelineRow) => ({
  id: row.pipeline_id,
  app: row.app,
  branch: row.branch,
  commit: row.commit,
  commitTime: iso(row.commit_time),
  pusher: row.pusher,
  startedAt: iso(row.started_at)!,
  updatedAt: iso(row.updated_at)!,
  status: row.status,
  stage: row.stage,
  digest: row.digest,
});

const stageOf = (row: StageRow) => {
  const start = row.started_at ?? row.ended_at;
  return {
    stage: row.stage,
    environment: row.environment || null,
    startedAt: iso(start),
    endedAt: iso(row.ended_at),
    durationMs: start !== null && row.ended_at !== null ? row.ended_at - start : null,
    outcome: row.outcome,
    detail: row.detail,
  };
};

export type Pipeline = ReturnType<typeof pipelineOf>;
export type PipelineStage = ReturnType<typeof stageOf>;

/** Newest first; `nextCursor` when there may be more. */
export async function listPipelines(db: Sql, filter: PipelineFilter) {
  const where = new Where().add('app = $?', filter.app).add('status = $?', filter.status);
  if (filter.after) where.add('(started_at, pipeline_id) < ($?::timestamptz, $?)', ...filter.after);
  const rows = await db.query<PipelineRow & { started_iso: string }>(
    `select ${COLUMNS}, to_char(started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') as started_iso
     from pipelines ${where} order by pipelines.started_at desc, pipelines.pipeline_id desc ${limit(filter.limit)}`,
    where.params,
  );
  const last = rows.length === filter.limit ? rows[rows.length - 1] : undefined;
  return {
    pipelines: rows.map(pipelineOf),
    nextCursor: last ? encodeCursor([last.started_iso, last.pipeline_id]) : null,
  };
}

/** One pipeline with its stages in the order they started, or undefined. */
export async function getPipeline(db: Sql, id: string) {
  const [row] = await db.query<PipelineRow>(`select ${COLUMNS} from pipelines where pipeline_id = $1`, [id]);
  if (!row) return undefined;
  const stages = await db.query<StageRow>(
    `select stage, environment, ms(started_at) as started_at, ms(ended_at) as ended_at, outcome, detail
     from stages where pipeline_id = $1 order by coalesce(started_at, ended_at), stage, environment`,
    [id],
  );
  return { ...pipelineOf(row), stages: stages.map(stageOf) };
}
