import type { Logger, Metrics } from '@gitops/telemetry';
import { type Bus, connectBus } from './bus.js';
import type { NatsEndpoint } from './connect-options.js';
import { streamTopology } from './topology.js';

/** The part of a service's configuration (`serviceEnv`) the bus needs. */
export interface ServiceBusConfig {
  /** NATS_URL and NATS_* as `natsConnectOptions` of @gitops/config reads them. */
  nats: NatsEndpoint;
  GITOPS_DEDUPE_WINDOW: number;
  GITOPS_STREAM_MAX_AGE: number;
}

/**
 * How every service joins the bus at start: connect (reconnecting forever) and provision the
 * streams with the configured dedupe window and max age, idempotently, whichever replica is first.
 */
export async function startServiceBus(
  service: string,
  config: ServiceBusConfig,
  telemetry: { logger: Logger; metrics: Metrics },
): Promise<Bus> {
  const topology = streamTopology({
    duplicateWindowMs: config.GITOPS_DEDUPE_WINDOW,
    maxAgeMs: config.GITOPS_STREAM_MAX_AGE,
  });
  const bus = await connectBus({ ...config.nats, source: 'NATS_URL', name: service, topology, ...telemetry });
  await bus.provision();
  return bus;
}
