import { derivedDeliveryId, ignored } from './push.js';
import { type JsonObject, decodeBody, header, requiredHeader } from './request.js';
import type { Delivery, ProviderAdapter, ProviderName, WebhookRequest } from './types.js';

export interface EventAdapterOptions {
  name: ProviderName;
  mediaTypes: string[];
  /** Header names as documented; the first one present wins (Gitea's before Forgejo's). */
  eventHeaders: string[];
  deliveryHeaders: string[];
  /**
   * A header naming the hook, mixed into the id derived when no delivery header came, so two hooks
   * sending the same bytes stay two deliveries.
   */
  hookHeader?: string;
  /** The parser of each event that may carry a push, by event name. */
  pushEvents: Record<string, (body: JsonObject, deliveryId: string) => Delivery>;
  pingEvents: string[];
  /** The repository of any event, so the receiver can authenticate even what it ignores. */
  repoURLs: (body: JsonObject) => string[];
  verify: ProviderAdapter['verify'];
}

/** An adapter for a provider that names the event in a header and sends a JSON body. */
export function eventAdapter(options: EventAdapterOptions): ProviderAdapter {
  const { name, eventHeaders, deliveryHeaders, hookHeader, pushEvents } = options;
  return {
    name,
    verify: options.verify,
    parse(request: WebhookRequest): Delivery {
      const body = decodeBody(request, options.mediaTypes);
      const event = requiredHeader(request, ...eventHeaders);
      const hook = hookHeader === undefined ? '' : (header(request, hookHeader) ?? '');
      const deliveryId = header(request, ...deliveryHeaders) ?? derivedDeliveryId(name, hook, request.body);
      const parsePush = Object.hasOwn(pushEvents, event) ? pushEvents[event] : undefined;
      if (parsePush) return parsePush(body, deliveryId);
      const reason = options.pingEvents.includes(event) ? 'ping' : `event ${event}`;
      return ignored(reason, options.repoURLs(body), deliveryId);
    },
  };
}
