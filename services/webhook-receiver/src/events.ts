import { type GitopsEvent, createEvent, pipelineIdFor } from '@gitops/contracts';
import type { ProviderAdapter, Push } from './providers/types.js';

export const SERVICE = 'webhook-receiver';

/** The pipeline a push starts for one application; its id derives from the delivery id. */
export function sourceReceived(
  provider: ProviderAdapter['name'],
  app: string,
  push: Push,
): GitopsEvent<'source.received'> {
  return createEvent({
    name: 'source.received',
    service: SERVICE,
    data: {
      pipelineId: pipelineIdFor(app, provider, push.deliveryId),
      app,
      commit: push.after,
      provider,
      deliveryId: push.deliveryId,
      repoURL: push.repoURLs[0]!,
      ref: push.ref,
      branch: push.branch,
      before: push.before,
      after: push.after,
      pusher: push.pusher,
      headCommit: push.headCommit,
    },
  });
}
