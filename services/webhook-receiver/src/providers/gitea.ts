import { githubStyleAdapter } from './github.js';
import { FORM_MEDIA_TYPE, formPayload, header } from './request.js';
import { hmacHeaderMatches } from './signature.js';
import type { WebhookRequest } from './types.js';

/** Gitea and Forgejo sign the JSON payload itself, even when they send it as a form field. */
function signedPayload(request: WebhookRequest): Buffer | string {
  return request.contentType === FORM_MEDIA_TYPE ? (formPayload(request) ?? '') : request.body;
}

/** Gitea and Forgejo (which sends the same payload under X-Forgejo-* headers as well). */
export const gitea = githubStyleAdapter(
  'gitea',
  { event: ['X-Gitea-Event', 'X-Forgejo-Event'], delivery: ['X-Gitea-Delivery', 'X-Forgejo-Delivery'] },
  (request, secret) =>
    hmacHeaderMatches(
      header(request, 'X-Gitea-Signature', 'X-Forgejo-Signature'),
      '',
      secret,
      signedPayload(request),
    ),
);
