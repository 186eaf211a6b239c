import { createHash } from 'node:crypto';
import { tryNormaliseRepoUrl } from '@gitops/config';
import { Sha, TEXT_LIMITS } from '@gitops/contracts';
import { type JsonObject, at, firstString, malformed, requiredString } from './request.js';
import type { Delivery, HeadCommit, Person } from './types.js';

// The contract's own pattern, so a Push can never carry a sha that source.received would reject.
const SHA = new RegExp(Sha.pattern ?? '^[0-9a-f]{40}([0-9a-f]{24})?$');
const ZERO = /^0+$/;
const BRANCH_PREFIX = 'refs/heads/';
// The contract's `date-time` check: a timestamp that fails it is dropped rather than failing the push.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
// RFC 3339 needs at most 35 characters; a longer string is no timestamp a git server wrote.
const MAX_TIMESTAMP_LENGTH = 64;

export const ZERO_SHA = '0'.repeat(40);

/** What a provider's payload says about one ref update, before the rules common to all providers. */
export interface RefUpdate {
  deliveryId: string;
  repoURLs: string[];
  ref: string;
  before: string;
  after: string;
  /** The provider says the ref was deleted (besides an all-zero `after`). */
  deleted?: boolean;
  pusher: Person;
  /** Absent when the payload names no commit (a new branch without new commits): the pushed sha stands in. */
  headCommit?: HeadCommit | undefined;
}

/** `ref`, `before` and `after` where GitHub, Gitea, GitLab and the generic body put them: at the top. */
export function refFields(body: JsonObject): Pick<RefUpdate, 'ref' | 'before' | 'after'> {
  return {
    ref: requiredString(body, 'ref'),
    before: requiredString(body, 'before'),
    after: requiredString(body, 'after'),
  };
}

/** A stable delivery id for a provider that sends none: redeliveries of the same bytes get the same id. */
export function derivedDeliveryId(...parts: (string | Buffer)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part).update('\0');
  return hash.digest('hex');
}

/** The distinct strings among `values` that read as repository URLs (of a length events carry), in order. */
export function repoURLs(values: unknown[]): string[] {
  const urls = values.filter(
    (v): v is string =>
      typeof v === 'string' && v.length <= TEXT_LIMITS.repoURL && tryNormaliseRepoUrl(v) !== undefined,
  );
  return [...new Set(urls)];
}

export const repoURLsAt = (root: unknown, paths: string[]): string[] =>
  repoURLs(paths.map((path) => at(root, path)));

export function person(value: unknown, namePaths: string[], emailPaths: string[]): Person {
  return { name: firstString(value, ...namePaths) ?? '', email: firstString(value, ...emailPaths) ?? '' };
}

export function headCommit(sha: string, message: unknown, author: Person, timestamp: unknown): HeadCommit {
  const commit: HeadCommit = { sha, message: typeof message === 'string' ? message : '', author };
  if (
    typeof timestamp === 'string' &&
    timestamp.length <= MAX_TIMESTAMP_LENGTH &&
    DATE_TIME.test(timestamp) &&
    !Number.isNaN(Date.parse(timestamp))
  ) {
    commit.timestamp = timestamp;
  }
  return commit;
}

/** A commit as GitHub, Gitea and GitLab write it: `{id, message, timestamp, author: {name, email}}`. */
export function commitFrom(value: unknown): HeadCommit | undefined {
  const sha = at(value, 'id');
  if (typeof sha !== 'string') return undefined;
  const author = person(at(value, 'author'), ['name'], ['email']);
  return headCommit(sha, at(value, 'message'), author, at(value, 'timestamp'));
}

/** The commit `sha` among a payload's `commits`, else the last one (the newest: the lists run oldest first). */
export function commitAmong(commits: unknown, sha: string): HeadCommit | undefined {
  if (!Array.isArray(commits)) return undefined;
  return commitFrom(commits.find((commit) => at(commit, 'id') === sha) ?? commits.at(-1));
}

export function ignored(reason: string, urls: string[], deliveryId: string): Delivery {
  return { kind: 'ignored', reason, repoURLs: urls, deliveryId };
}

function requireSha(sha: string, what: string): void {
  if (!SHA.test(sha)) {
    throw malformed(`${what} is not a full lowercase hex git object id: ${JSON.stringify(sha.slice(0, 80))}`);
  }
}

/** Identifiers are refused past the contract's limits rather than cut: a cut one would name something else. */
function requireWithinLimit(value: string, what: keyof typeof TEXT_LIMITS): void {
  if (value.length > TEXT_LIMITS[what]) {
    throw malformed(`${what} is ${value.length} characters long; at most ${TEXT_LIMITS[what]} are accepted`);
  }
}

/** The rules every provider shares: only branch updates are pushes, tags and deletions are ignored. */
export function refUpdateDelivery(update: RefUpdate): Delivery {
  const { deliveryId, repoURLs: urls, ref, before, after, pusher } = update;
  requireWithinLimit(deliveryId, 'deliveryId');
  requireWithinLimit(ref, 'ref');
  requireWithinLimit(before, 'before');
  if (ref.startsWith('refs/tags/')) return ignored('tag push', urls, deliveryId);
  if (!ref.startsWith(BRANCH_PREFIX) || ref === BRANCH_PREFIX) {
    return ignored(`ref ${ref} is not a branch`, urls, deliveryId);
  }
  if (update.deleted === true || ZERO.test(after)) return ignored('branch deletion', urls, deliveryId);
  requireSha(after, 'after');
  const commit = update.headCommit ?? headCommit(after, '', pusher, undefined);
  requireSha(commit.sha, 'head commit id');
  if (urls.length === 0) throw malformed('the payload names no repository URL');
  const branch = ref.slice(BRANCH_PREFIX.length);
  return {
    kind: 'push',
    push: { deliveryId, repoURLs: urls, ref, branch, before, after, pusher, headCommit: commit },
  };
}

/**
 * A push that updates several refs at once (Bitbucket batches them) becomes the update of its first
 * branch; without one, the first update says why the delivery is ignored (a tag, a deletion).
 */
export function firstBranchUpdate(updates: RefUpdate[], urls: string[], deliveryId: string): Delivery {
  const isBranchUpdate = (u: RefUpdate) =>
    u.ref.startsWith(BRANCH_PREFIX) && u.deleted !== true && !ZERO.test(u.after);
  const chosen = updates.find(isBranchUpdate) ?? updates[0];
  return chosen === undefined ? ignored('no ref changed', urls, deliveryId) : refUpdateDelivery(chosen);
}
