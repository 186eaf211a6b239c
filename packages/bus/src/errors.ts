import { AppError } from '@gitops/errors';

/**
 * NATS or JetStream did not confirm in time (down, disconnected, no stream answering). Retryable:
 * the same publish succeeds once NATS is back, and the event id makes a repeat harmless. An HTTP
 * boundary answers 503 so the sender retries too.
 */
export const busUnavailable = (what: string, cause: unknown) =>
  new AppError('GITOPS_BUS_UNAVAILABLE', `${what}: ${(cause as Error)?.message ?? String(cause)}`, {
    retryable: true,
    statusCode: 503,
    cause,
  });

/** A topology that JetStream would refuse or that would silently break dedupe. */
export const invalidTopology = (problem: string) =>
  new AppError('GITOPS_BUS_TOPOLOGY_INVALID', `stream topology is invalid: ${problem}`, { statusCode: 500 });
