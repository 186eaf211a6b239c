import { type RefUpdate, firstBranchUpdate, person, repoURLs } from './push.js';
import { type JsonObject, at, firstString, malformed, requiredString } from './request.js';
import type { Delivery } from './types.js';

/** Every clone URL (ssh and http) the repository lists. */
export function serverRepoURLs(body: JsonObject): string[] {
  const clone = at(body, 'repository.links.clone');
  return Array.isArray(clone) ? repoURLs(clone.map((link) => at(link, 'href'))) : [];
}

function serverChange(
  body: JsonObject,
  path: string,
  base: Omit<RefUpdate, 'ref' | 'before' | 'after'>,
): RefUpdate {
  const ref = firstString(body, `${path}.ref.id`, `${path}.refId`);
  if (ref === undefined) throw malformed(`field "${path}.ref.id" is missing`);
  return {
    ...base,
    ref,
    before: requiredString(body, `${path}.fromHash`),
    after: requiredString(body, `${path}.toHash`),
    deleted: at(body, `${path}.type`) === 'DELETE',
  };
}

/**
 * Bitbucket Data Center's `repo:refs_changed`: `changes[]` of `{ref, fromHash, toHash, type}`. It names
 * no commit message or time, so the head commit is the pushed sha with the actor as its author.
 */
export function serverPush(body: JsonObject, deliveryId: string): Delivery {
  const changes = at(body, 'changes');
  if (!Array.isArray(changes)) throw malformed('field "changes" is missing or not a list');
  const pusher = person(at(body, 'actor'), ['displayName', 'name'], ['emailAddress']);
  const base = { deliveryId, repoURLs: serverRepoURLs(body), pusher };
  const updates = changes.map((_, i) => serverChange(body, `changes.${i}`, base));
  return firstBranchUpdate(updates, base.repoURLs, deliveryId);
}
