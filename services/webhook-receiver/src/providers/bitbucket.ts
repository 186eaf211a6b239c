import { cloudPush, cloudRepoURLs } from './bitbucket-cloud.js';
import { serverPush, serverRepoURLs } from './bitbucket-server.js';
import { eventAdapter } from './event-adapter.js';
import { JSON_MEDIA_TYPE, header } from './request.js';
import { hmacHeaderMatches } from './signature.js';

/** Bitbucket Cloud and Bitbucket Data Center share one route: the event key tells them apart. */
export const bitbucket = eventAdapter({
  name: 'bitbucket',
  mediaTypes: [JSON_MEDIA_TYPE],
  eventHeaders: ['X-Event-Key'],
  // Cloud sends X-Request-UUID, Data Center X-Request-Id.
  deliveryHeaders: ['X-Request-UUID', 'X-Request-Id'],
  hookHeader: 'X-Hook-UUID',
  pushEvents: { 'repo:push': cloudPush, 'repo:refs_changed': serverPush },
  pingEvents: ['diagnostics:ping'],
  repoURLs: (body) => [...cloudRepoURLs(body), ...serverRepoURLs(body)],
  verify: (request, secret) =>
    hmacHeaderMatches(header(request, 'X-Hub-Signature'), 'sha256=', secret, request.body),
});
