import type { GitAccess } from '@gitops/git';
import type { FoundCommit, GitWorkspace } from '../adapters/git-workspace.js';
import { pinImage } from '../edit/config-dir.js';
import {
  type Group,
  type Pending,
  type Round,
  type RoundResult,
  commitMessage,
  subjectPrefix,
} from './rounds.js';

type Outcome = { item: Pending; result: RoundResult } | { item: Pending; error: unknown };

/** The bumps of the group a commit of the history carries already (a replay, or a retry after a crash). */
function written(group: Group, found: FoundCommit[]): Outcome[] {
  return group.flatMap((item) => {
    const commit = found.find(
      (c) => c.subject.startsWith(subjectPrefix(item.bump)) && c.pipelines.includes(item.bump.pipelineId),
    );
    if (!commit) return [];
    const batch = commit.pipelines.length > 1 ? { batch: commit.pipelines } : {};
    return [{ item, result: { configCommit: commit.sha, committed: false, ...batch } }];
  });
}

/** Pins the group's last image and commits; the head as it is when the environment pinned it already. */
async function commitGroup(ws: GitWorkspace, group: Group, access: GitAccess): Promise<Outcome[]> {
  const last = group.at(-1)!.bump;
  const env = { repoDir: ws.dir, path: last.environment.path, helm: last.app.config.helm };
  try {
    await pinImage(env, last.pin);
  } catch (error) {
    await ws.discard(access);
    return group.map((item) => ({ item, error }));
  }
  const { message, trailers } = commitMessage(group.map((item) => item.bump));
  const commit = await ws.commit(message, trailers, access);
  const committed = commit.status === 'committed';
  const configCommit = committed ? commit.sha : await ws.head(access);
  const batch = committed && group.length > 1 ? { batch: group.map((item) => item.bump.pipelineId) } : {};
  return group.map((item) => ({ item, result: { configCommit, committed, ...batch } }));
}

/**
 * One attempt of a round: from the remote head, a commit per group (bumps found in the history
 * already are answered with their commit), then one push. Answers how to settle every bump, to be
 * called once the push landed; throws what the push threw (PushRejected when another writer won).
 */
export async function writeRound(ws: GitWorkspace, round: Round, access: GitAccess): Promise<() => void> {
  const fallback = round.groups[0]![0]!.bump.app.config.branch;
  await ws.sync(round.branch, access, fallback);
  const ids = round.groups.flat().map((item) => item.bump.pipelineId);
  const found = await ws.findPipelines(ids, access);
  const outcomes: Outcome[] = [];
  for (const group of round.groups) {
    const done = written(group, found);
    outcomes.push(...done);
    const rest = group.filter((item) => !done.some((d) => d.item === item));
    if (rest.length > 0) outcomes.push(...(await commitGroup(ws, rest, access)));
  }
  if (outcomes.some((o) => 'result' in o && o.result.committed)) await ws.push(round.branch, access);
  return () => {
    for (const outcome of outcomes) {
      if ('error' in outcome) outcome.item.reject(outcome.error);
      else outcome.item.resolve(outcome.result);
    }
  };
}
