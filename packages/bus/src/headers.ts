import type { HeaderCarrier } from '@gitops/telemetry';
import type { MsgHdrs } from '@nats-io/transport-node';

/**
 * NATS headers as a trace-context carrier. `MsgHdrs.get` answers '' for a missing key where a carrier
 * answers undefined; a message without headers reads as empty.
 */
export const natsCarrier = (headers: MsgHdrs | undefined): HeaderCarrier => ({
  get: (key) => (headers?.has(key) ? headers.get(key) : undefined),
  set: (key, value) => headers?.set(key, value),
});
