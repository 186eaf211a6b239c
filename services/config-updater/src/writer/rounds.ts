import type { Bump, BumpResult } from '../ports.js';

/** What a round answers each bump; the writer adds how long the bump waited and took. */
export type RoundResult = Omit<BumpResult, 'durationMs'>;

/** A bump waiting for its repository's writer, with the promise of its caller. */
export interface Pending {
  bump: Bump;
  resolve(result: RoundResult): void;
  reject(err: unknown): void;
}

/** What one commit carries: bumps of one application's environment, of one kind; the last one wins. */
export type Group = Pending[];

/** Bumps written together: one branch, one fetch and one push, a commit per group. */
export interface Round {
  branch: string;
  groups: Group[];
}

const groupKey = ({ app, environment, promotedFrom, approvedBy }: Bump) =>
  JSON.stringify([app.name, environment.name, promotedFrom ?? '', approvedBy ?? '']);

/**
 * Takes the next round out of `pending` (in place): every bump on the branch of the oldest one,
 * grouped by application, environment and kind (a pipeline's bump, a promotion, an approval) in
 * order of arrival. Bumps for other branches stay for a later round.
 */
export function takeRound(pending: Pending[]): Round | undefined {
  const first = pending[0];
  if (!first) return undefined;
  const branch = first.bump.environment.branch;
  const groups = new Map<string, Group>();
  for (let i = 0; i < pending.length; ) {
    const item = pending[i]!;
    if (item.bump.environment.branch !== branch) {
      i++;
      continue;
    }
    pending.splice(i, 1);
    const key = groupKey(item.bump);
    groups.set(key, [...(groups.get(key) ?? []), item]);
  }
  return { branch, groups: [...groups.values()] };
}

/** The subject every commit of the environment starts with. */
export const subjectPrefix = (bump: Bump) => `deploy(${bump.app.name}/${bump.environment.name}):`;

/**
 * The message and trailers of a group's commit, made for the last bump (whose digest wins); the
 * others are named in `Batched-Pipelines`, so each pipeline finds its commit again.
 */
export function commitMessage(group: Bump[]): { message: string; trailers: Record<string, string> } {
  const last = group.at(-1)!;
  const { pin } = last;
  const image = `${pin.repository}@${pin.digest}`;
  const batched =
    group.length > 1 ? `\n\nBatched ${group.length} queued updates; the last one's image wins.\n` : '\n';
  const trailers: Record<string, string> = {
    'Pipeline-Id': last.pipelineId,
    'Source-Commit': last.commit,
    'Source-Repo': last.app.source.repoURL,
  };
  if (pin.tag) trailers['Image-Tag'] = pin.tag;
  if (last.promotedFrom) trailers['Promoted-From'] = last.promotedFrom;
  if (last.approvedBy) trailers['Approved-By'] = last.approvedBy;
  if (group.length > 1) trailers['Batched-Pipelines'] = group.map((b) => b.pipelineId).join(' ');
  return { message: `${subjectPrefix(last)} ${image}${batched}`, trailers };
}
