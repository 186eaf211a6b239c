import { derivedDeliveryId, headCommit, person, refFields, refUpdateDelivery, repoURLs } from './push.js';
import {
  JSON_MEDIA_TYPE,
  at,
  decodeBody,
  firstString,
  header,
  malformed,
  requiredString,
} from './request.js';
import { hmacHeaderMatches } from './signature.js';
import type { Delivery, HeadCommit, Person, ProviderAdapter, WebhookRequest } from './types.js';

function genericHeadCommit(value: unknown, after: string, pusher: Person): HeadCommit | undefined {
  if (value === undefined || value === null) return undefined;
  const author = at(value, 'author') ? person(at(value, 'author'), ['name'], ['email']) : pusher;
  return headCommit(firstString(value, 'sha') ?? after, at(value, 'message'), author, at(value, 'timestamp'));
}

/**
 * The body the project's post-receive hook sends (docs/webhooks.md): `{repoURL, ref, before, after,
 * deliveryId?, pusher?, headCommit?}`. Without a delivery id the ref update itself identifies it, so a
 * resent update is still recognised as a duplicate.
 */
export const generic: ProviderAdapter = {
  name: 'generic',
  parse(request: WebhookRequest): Delivery {
    const body = decodeBody(request, [JSON_MEDIA_TYPE]);
    const repoURL = requiredString(body, 'repoURL');
    const { ref, before, after } = refFields(body);
    const urls = repoURLs([repoURL]);
    if (urls.length === 0)
      throw malformed(`field "repoURL" is not a repository URL: ${JSON.stringify(repoURL)}`);
    const pusher = person(at(body, 'pusher'), ['name'], ['email']);
    return refUpdateDelivery({
      deliveryId:
        firstString(body, 'deliveryId') ?? derivedDeliveryId('generic', repoURL, ref, before, after),
      repoURLs: urls,
      ref,
      before,
      after,
      pusher,
      headCommit: genericHeadCommit(at(body, 'headCommit'), after, pusher),
    });
  },
  verify: (request, secret) =>
    hmacHeaderMatches(header(request, 'X-Signature-256'), 'sha256=', secret, request.body),
};
