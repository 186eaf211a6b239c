import type { BuildFact, PipelinePatch, StageFact } from './facts.js';

/*
 * A batch may carry several facts about one row; an upsert may touch a row once. These merges
 * fold them in batch order with the same rules the upserts in write-batch.ts apply to the stored
 * row, so one batch of N events and N batches of one event store the same thing.
 */

const earliest = (a?: string, b?: string) => (a && b ? (a < b ? a : b) : (a ?? b));
const latest = (a?: string, b?: string) => (a && b ? (a > b ? a : b) : (a ?? b));
const defined = <T extends object>(row: T) =>
  Object.fromEntries(Object.entries(row).filter(([, value]) => value !== undefined)) as T;

export function mergePipeline(old: PipelinePatch, next: PipelinePatch): PipelinePatch {
  const newer = next.at >= old.at;
  return {
    ...defined(old),
    ...defined({ commit_time: next.commit_time, pusher: next.pusher, digest: next.digest }),
    branch: old.branch ?? next.branch,
    commit: old.commit ?? next.commit,
    started_at: earliest(old.started_at, next.started_at)!,
    at: latest(old.at, next.at)!,
    status: newer ? next.status : old.status,
    stage: newer ? next.stage : old.stage,
  } as PipelinePatch;
}

/** An end wins over a start; a later end wins over an earlier one. */
const takesOutcome = (old: { ended_at?: string | undefined }, next: { ended_at?: string | undefined }) =>
  next.ended_at ? !old.ended_at || next.ended_at >= old.ended_at : !old.ended_at;

export function mergeStage(old: StageFact, next: StageFact): StageFact {
  return defined({
    ...old,
    started_at: earliest(old.started_at, next.started_at),
    ended_at: latest(old.ended_at, next.ended_at),
    outcome: takesOutcome(old, next) ? next.outcome : old.outcome,
    detail: { ...old.detail, ...next.detail },
  });
}

export function mergeBuild(old: BuildFact, next: BuildFact): BuildFact {
  const finishing = next.finished_at !== undefined;
  return defined({
    ...old,
    ...(finishing ? defined(next) : {}),
    started_at: earliest(old.started_at, next.started_at),
    finished_at: latest(old.finished_at, next.finished_at),
    outcome: finishing || !old.finished_at ? next.outcome : old.outcome,
    branch: old.branch ?? next.branch,
  });
}

/** Folds facts sharing a key into one each, keeping first-seen order. */
export function foldBy<T>(facts: T[], key: (fact: T) => string, merge: (old: T, next: T) => T): T[] {
  const rows = new Map<string, T>();
  for (const fact of facts) {
    const k = key(fact);
    const old = rows.get(k);
    rows.set(k, old ? merge(old, fact) : fact);
  }
  return [...rows.values()];
}
