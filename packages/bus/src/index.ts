export type { BatchConsumeOptions, BatchHandler, BatchItem } from './batch-consumer.js';
export { type Bus, type BusOptions, connectBus } from './bus.js';
export { type NatsEndpoint, natsClientOptions, shownServers } from './connect-options.js';
export type {
  ConsumeOptions,
  ConsumerHandle,
  Delivery,
  DeliveryHandler,
} from './consume-options.js';
export { defaultBackoff } from './consume-options.js';
export { DeadLetterHeaders, type DeadLetterReason, deadLetterSubject, durableName } from './names.js';
export type { PublishOptions, PublishResult } from './publish.js';
export {
  DEAD_LETTER_STREAM,
  LEDGER_STREAM,
  type StreamSpec,
  type TopologyOptions,
  streamTopology,
} from './topology.js';
export type { Ledger } from './ledger.js';
export { type ServiceBusConfig, startServiceBus } from './service-bus.js';
