import { eventAdapter } from './event-adapter.js';
import { commitAmong, commitFrom, person, refFields, refUpdateDelivery, repoURLsAt } from './push.js';
import { FORM_MEDIA_TYPE, JSON_MEDIA_TYPE, type JsonObject, at, header } from './request.js';
import { hmacHeaderMatches } from './signature.js';
import type { Delivery, ProviderAdapter, ProviderName } from './types.js';

const REPO_URL_PATHS = ['clone_url', 'html_url', 'ssh_url', 'git_url', 'url'].map(
  (key) => `repository.${key}`,
);
const githubStyleRepoURLs = (body: JsonObject) => repoURLsAt(body, REPO_URL_PATHS);

/** A push payload shaped like GitHub's, which Gitea and Forgejo copy. */
function githubStylePush(body: JsonObject, deliveryId: string): Delivery {
  const fields = refFields(body);
  return refUpdateDelivery({
    ...fields,
    deliveryId,
    repoURLs: githubStyleRepoURLs(body),
    deleted: at(body, 'deleted') === true,
    // GitHub names the pusher by login; Gitea sends `login`/`username` and `full_name` instead of `name`.
    pusher: person(at(body, 'pusher'), ['name', 'login', 'username', 'full_name'], ['email']),
    headCommit: commitFrom(at(body, 'head_commit')) ?? commitAmong(at(body, 'commits'), fields.after),
  });
}

/** GitHub's webhook dialect (JSON or a form `payload=`, `push` and `ping` events), under a provider's headers. */
export function githubStyleAdapter(
  name: ProviderName,
  headers: { event: string[]; delivery: string[] },
  verify: ProviderAdapter['verify'],
): ProviderAdapter {
  return eventAdapter({
    name,
    mediaTypes: [JSON_MEDIA_TYPE, FORM_MEDIA_TYPE],
    eventHeaders: headers.event,
    deliveryHeaders: headers.delivery,
    pushEvents: { push: githubStylePush },
    pingEvents: ['ping'],
    repoURLs: githubStyleRepoURLs,
    verify,
  });
}

export const github = githubStyleAdapter(
  'github',
  { event: ['X-GitHub-Event'], delivery: ['X-GitHub-Delivery'] },
  // The signature covers the raw body, form-encoded or not.
  (request, secret) =>
    hmacHeaderMatches(header(request, 'X-Hub-Signature-256'), 'sha256=', secret, request.body),
);
