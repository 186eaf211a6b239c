import type { GitopsEvent } from '@gitops/contracts';
import type { WebhookTarget } from './app-directory.js';
import { webhookErrors } from './errors.js';
import { configPushed, sourceReceived } from './events.js';
import type { Delivery, ProviderAdapter, Push, WebhookRequest } from './providers/types.js';

/** What a delivery leads to: nothing (with the reason), or one pipeline per application it feeds. */
export type Plan =
  | { kind: 'ignored'; reason: string }
  | { kind: 'start'; events: GitopsEvent<'source.received' | 'config.pushed'>[] };

/** The applications this request authenticates for; throws the 401 the caller answers otherwise. */
export function authenticate(
  adapter: ProviderAdapter,
  request: WebhookRequest,
  candidates: WebhookTarget[],
): WebhookTarget[] {
  const withSecret = candidates.filter((t) => t.secret !== undefined);
  if (withSecret.length === 0) throw webhookErrors.noSecret(candidates.map((t) => t.app.name));
  const verified = withSecret.filter((t) => adapter.verify(request, t.secret!));
  if (verified.length === 0) throw webhookErrors.badSignature();
  return verified;
}

/**
 * The targets, once they are known to share one repository. A payload names its repository in several
 * forms (clone, ssh, html URL); should two forms belong to two applications, which one is meant cannot
 * be known, so the delivery is refused rather than starting a pipeline for each (docs/webhooks.md).
 */
export function oneRepository(targets: WebhookTarget[]): WebhookTarget[] {
  const repositories = new Set(targets.map((t) => t.app.source.repoKey));
  if (repositories.size <= 1) return targets;
  throw webhookErrors.ambiguousRepository(
    targets.map((t) => ({ name: t.app.name, repoURL: t.app.source.repoURL })),
  );
}

/** The plan of a delivery: its events, or why there are none (`unwanted`, for a push that starts nothing). */
function planPush(
  delivery: Delivery,
  eventsOf: (push: Push) => Extract<Plan, { kind: 'start' }>['events'],
  unwanted: (push: Push) => string,
): Plan {
  if (delivery.kind === 'ignored') return { kind: 'ignored', reason: delivery.reason };
  const events = eventsOf(delivery.push);
  return events.length > 0 ? { kind: 'start', events } : { kind: 'ignored', reason: unwanted(delivery.push) };
}

type Planner = (provider: ProviderAdapter['name'], delivery: Delivery, targets: WebhookTarget[]) => Plan;

/** Pure: which pipelines an authenticated delivery starts. */
export const planDelivery: Planner = (provider, delivery, targets) =>
  planPush(
    delivery,
    (push) =>
      targets
        .filter((t) => t.acceptsBranch(push.branch))
        .map((t) => sourceReceived(provider, t.app.name, push)),
    (push) =>
      `branch ${push.branch} matches none of ${[...new Set(targets.flatMap((t) => t.app.source.branches))].join(', ')}`,
  );

/** Pure: which syncs an authenticated push to config repositories starts (the environments on its branch). */
export const planConfigDelivery: Planner = (provider, delivery, targets) =>
  planPush(
    delivery,
    (push) =>
      targets.flatMap((t) => {
        const environments = t.app.config.environments
          .filter((e) => e.branch === push.branch)
          .map((e) => e.name);
        return environments.length > 0 ? [configPushed(provider, t.app.name, push, environments)] : [];
      }),
    (push) => `branch ${push.branch} holds no environment`,
  );
