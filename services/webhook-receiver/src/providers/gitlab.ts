import { eventAdapter } from './event-adapter.js';
import { commitAmong, person, refFields, refUpdateDelivery, repoURLsAt } from './push.js';
import { JSON_MEDIA_TYPE, type JsonObject, at, firstString, header } from './request.js';
import { safeEqual } from './signature.js';
import type { Delivery } from './types.js';

const REPO_URL_PATHS = [
  'project.git_http_url',
  'project.git_ssh_url',
  'project.web_url',
  'repository.git_http_url',
  'repository.url',
  'repository.homepage',
];

function gitlabPush(body: JsonObject, deliveryId: string): Delivery {
  const fields = refFields(body);
  return refUpdateDelivery({
    ...fields,
    deliveryId,
    repoURLs: repoURLsAt(body, REPO_URL_PATHS),
    pusher: person(body, ['user_name', 'user_username'], ['user_email']),
    headCommit: commitAmong(at(body, 'commits'), firstString(body, 'checkout_sha') ?? fields.after),
  });
}

export const gitlab = eventAdapter({
  name: 'gitlab',
  mediaTypes: [JSON_MEDIA_TYPE],
  eventHeaders: ['X-Gitlab-Event'],
  deliveryHeaders: ['X-Gitlab-Event-UUID', 'Idempotency-Key'],
  // A tag push arrives as its own event; the common ref rules answer it ('tag push').
  pushEvents: { 'Push Hook': gitlabPush, 'Tag Push Hook': gitlabPush },
  pingEvents: [],
  repoURLs: (body) => repoURLsAt(body, REPO_URL_PATHS),
  // GitLab sends the secret itself as a token rather than signing the body.
  verify: (request, secret) => {
    const token = header(request, 'X-Gitlab-Token');
    return secret !== '' && token !== undefined && safeEqual(token, secret);
  },
});
