import { type RefUpdate, ZERO_SHA, firstBranchUpdate, headCommit, repoURLs } from './push.js';
import { type JsonObject, at, firstString, malformed, requiredString } from './request.js';
import type { Delivery, Person } from './types.js';

// Bitbucket Cloud names a ref by its kind and short name; anything but a branch or tag stays unmatched.
const REF_KINDS: Record<string, string> = { branch: 'heads', tag: 'tags' };

export function cloudRepoURLs(body: JsonObject): string[] {
  const fullName = firstString(body, 'repository.full_name');
  return repoURLs([
    at(body, 'repository.links.html.href'),
    fullName === undefined ? undefined : `https://bitbucket.org/${fullName}`,
  ]);
}

/** A commit author as Bitbucket Cloud gives it: `raw` is the git `Name <email>`; `user` is the linked account. */
function commitAuthor(author: unknown): Person {
  const raw = firstString(author, 'raw');
  const split = raw === undefined ? null : /^(.*?)\s*<([^<>]*)>\s*$/.exec(raw);
  if (split) return { name: split[1]!, email: split[2]! };
  return {
    name: raw ?? firstString(author, 'user.display_name', 'display_name', 'nickname') ?? '',
    email: '',
  };
}

function cloudChange(
  body: JsonObject,
  path: string,
  base: Omit<RefUpdate, 'ref' | 'before' | 'after'>,
): RefUpdate {
  const side = at(body, `${path}.new`) ? 'new' : 'old';
  if (!at(body, `${path}.${side}`)) throw malformed(`field "${path}" has neither "new" nor "old"`);
  const kind = requiredString(body, `${path}.${side}.type`);
  const ref = `refs/${REF_KINDS[kind] ?? kind}/${requiredString(body, `${path}.${side}.name`)}`;
  const before = firstString(body, `${path}.old.target.hash`) ?? ZERO_SHA;
  if (side === 'old') return { ...base, ref, before, after: ZERO_SHA };
  const after = requiredString(body, `${path}.new.target.hash`);
  const target = at(body, `${path}.new.target`);
  const commit = headCommit(
    after,
    at(target, 'message'),
    commitAuthor(at(target, 'author')),
    at(target, 'date'),
  );
  return { ...base, ref, before, after, headCommit: commit };
}

/** `repo:push`: `push.changes[]`, each `{new, old}` with `new` null for a deletion and `old` null for a creation. */
export function cloudPush(body: JsonObject, deliveryId: string): Delivery {
  const changes = at(body, 'push.changes');
  if (!Array.isArray(changes)) throw malformed('field "push.changes" is missing or not a list');
  // Bitbucket Cloud shares no e-mail addresses of accounts.
  const pusher = { name: firstString(body, 'actor.display_name', 'actor.nickname') ?? '', email: '' };
  const base = { deliveryId, repoURLs: cloudRepoURLs(body), pusher };
  const updates = changes.map((_, i) => cloudChange(body, `push.changes.${i}`, base));
  return firstBranchUpdate(updates, base.repoURLs, deliveryId);
}
