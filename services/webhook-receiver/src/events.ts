import { type GitopsEvent, TEXT_LIMITS, createEvent, pipelineIdFor, truncateText } from '@gitops/contracts';
import type { Person, ProviderAdapter, Push } from './providers/types.js';

export const SERVICE = 'webhook-receiver';

/** A person as events carry them: whatever a provider sends, cut to the contract's limits. */
const boundedPerson = ({ name, email }: Person): Person => ({
  name: truncateText(name, TEXT_LIMITS.personName),
  email: truncateText(email, TEXT_LIMITS.personEmail),
});

/**
 * The pipeline a push starts for one application. Its id derives from the ref move, not the delivery
 * id, so a resent push is refused by JetStream as a duplicate (docs/webhooks.md#deduplication). Free
 * text is cut so the event stays far below NATS's max_payload (docs/events.md#sizes).
 */
export function sourceReceived(
  provider: ProviderAdapter['name'],
  app: string,
  push: Push,
): GitopsEvent<'source.received'> {
  const { ref, before, after, headCommit } = push;
  return createEvent({
    name: 'source.received',
    service: SERVICE,
    data: {
      pipelineId: pipelineIdFor(app, { ref, before, after }),
      app,
      commit: after,
      provider,
      deliveryId: push.deliveryId,
      repoURL: push.repoURLs[0]!,
      ref,
      branch: push.branch,
      before,
      after,
      pusher: boundedPerson(push.pusher),
      headCommit: {
        ...headCommit,
        message: truncateText(headCommit.message, TEXT_LIMITS.message),
        author: boundedPerson(headCommit.author),
      },
    },
  });
}

/**
 * A push to an application's config repository: a sync of the environments on the pushed branch, no
 * build. The platform's own commits (the config updater's) are published too: the reconciler maps
 * them to their pipeline by the commit's trailers, so they deploy once.
 */
export function configPushed(
  provider: ProviderAdapter['name'],
  app: string,
  push: Push,
  environments: string[],
): GitopsEvent<'config.pushed'> {
  const { ref, before, after, headCommit } = push;
  return createEvent({
    name: 'config.pushed',
    service: SERVICE,
    data: {
      pipelineId: pipelineIdFor(app, { ref, before, after }),
      app,
      provider,
      deliveryId: push.deliveryId,
      configRepoURL: push.repoURLs[0]!,
      ref,
      branch: push.branch,
      before,
      configCommit: after,
      environments,
      pusher: boundedPerson(push.pusher),
      headCommit: {
        ...headCommit,
        message: truncateText(headCommit.message, TEXT_LIMITS.message),
        author: boundedPerson(headCommit.author),
      },
    },
  });
}
