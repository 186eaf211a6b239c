import type { GitopsEvent } from '@gitops/contracts';
import type { Logger, Metrics } from '@gitops/telemetry';
import {
  JetStreamApiError,
  type JetStreamClient,
  type JetStreamManager,
  jetstream,
  jetstreamManager,
} from '@nats-io/jetstream';
import { type NatsConnection, connect } from '@nats-io/transport-node';
import { type BatchConsumeOptions, BatchConsumer, type BatchHandler } from './batch-consumer.js';
import { type NatsEndpoint, natsClientOptions, shownServers } from './connect-options.js';
import type { ConsumeOptions, ConsumerHandle, DeliveryHandler } from './consume-options.js';
import { ConsumerLoop } from './consumer.js';
import { busUnavailable } from './errors.js';
import { Ledger } from './ledger.js';
import { ensureStream } from './provision.js';
import { type PublishOptions, type PublishResult, publishEvent, publishOnce } from './publish.js';
import { type StreamSpec, streamTopology } from './topology.js';

export interface BusOptions extends NatsEndpoint {
  /** Where the servers and credentials came from (`NATS_URL`), named when connecting fails. */
  source?: string;
  /** The connection name NATS shows for this client: the service name. */
  name: string;
  logger: Logger;
  metrics?: Metrics;
  /** The streams `provision()` creates (default `streamTopology()`). */
  topology?: StreamSpec[];
  /** Default wait for a store ack or a JetStream API answer (default 5 s). */
  timeoutMs?: number;
  /** Pause between reconnect attempts (default 1 s; reconnects never stop). */
  reconnectTimeWaitMs?: number;
}

export interface Bus {
  /** Creates the streams, or updates them where their config differs. Idempotent. */
  provision(): Promise<void>;
  /** Resolves once JetStream stored the event; throws GITOPS_BUS_UNAVAILABLE (503, retryable) otherwise. */
  publish(event: GitopsEvent, options?: PublishOptions): Promise<PublishResult>;
  /** Starts a durable pull consumer; rejects if it cannot be created (NATS down at start). */
  consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle>;
  /** Starts a durable pull consumer handing over batches, acked once the handler resolves (see BatchConsumer). */
  consumeBatches(options: BatchConsumeOptions, handler: BatchHandler): Promise<ConsumerHandle>;
  /** For /readyz: throws GITOPS_BUS_UNAVAILABLE unless connected and JetStream answers. */
  ping(): Promise<void>;
  /** What was published and which jobs finished, kept for the duplicate window (`provision` creates it). */
  readonly ledger: Ledger;
  /** Stops the consumers (running handlers finish), then drains the connection. */
  close(): Promise<void>;
}

// Status changes are the only trace of an outage in the logs; pings and the like are noise.
async function logStatus(nc: NatsConnection, logger: Logger): Promise<void> {
  for await (const status of nc.status()) {
    if (status.type === 'disconnect') logger.warn({ server: status.server }, 'NATS disconnected');
    else if (status.type === 'reconnect') logger.info({ server: status.server }, 'NATS reconnected');
    else if (status.type === 'error') logger.error({ err: status.error }, 'NATS error');
    else if (status.type === 'ldm') logger.warn('NATS server entering lame duck mode');
  }
}

// JetStream's own refusals (a config it cannot apply) say what is wrong; anything else means NATS is away.
async function unavailableUnless<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    throw err instanceof JetStreamApiError ? err : busUnavailable(what, err);
  }
}

class NatsBus implements Bus {
  readonly #consumers = new Set<ConsumerLoop | BatchConsumer>();
  readonly #statusLog: Promise<void>;
  readonly ledger: Ledger;

  constructor(
    private readonly nc: NatsConnection,
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly options: BusOptions & { timeoutMs: number },
  ) {
    this.#statusLog = logStatus(nc, options.logger).catch(() => undefined);
    this.ledger = new Ledger(js, jsm, options.timeoutMs);
  }

  async provision(): Promise<void> {
    for (const spec of this.options.topology ?? streamTopology()) {
      await unavailableUnless(`stream ${spec.name} was not provisioned`, () =>
        ensureStream(this.jsm, spec, this.options.logger),
      );
    }
  }

  publish(event: GitopsEvent, options: PublishOptions = {}): Promise<PublishResult> {
    const timeoutMs = options.timeoutMs ?? this.options.timeoutMs;
    const publish = () => publishEvent(this.js, event, { timeoutMs, metrics: this.options.metrics });
    return options.once ? publishOnce(this.ledger, event, publish) : publish();
  }

  async consume(options: ConsumeOptions, handler: DeliveryHandler): Promise<ConsumerHandle> {
    const { nc, js, jsm } = this;
    const loop = new ConsumerLoop({ nc, js, jsm, ...this.#logging(options.durable) }, options, handler);
    await unavailableUnless(`consumer ${options.durable} was not created`, () => loop.start());
    this.#consumers.add(loop);
    return {
      stop: async () => {
        this.#consumers.delete(loop);
        await loop.stop();
      },
    };
  }

  async consumeBatches(options: BatchConsumeOptions, handler: BatchHandler): Promise<ConsumerHandle> {
    const { nc, js, jsm } = this;
    const logger = this.options.logger.child({ consumer: options.durable });
    const consumer = new BatchConsumer({ nc, js, jsm, logger }, options, handler);
    await unavailableUnless(`consumer ${options.durable} was not created`, () => consumer.start());
    this.#consumers.add(consumer);
    return {
      stop: async () => {
        this.#consumers.delete(consumer);
        await consumer.stop();
      },
    };
  }

  async ping(): Promise<void> {
    if (this.nc.isClosed()) throw busUnavailable('NATS connection closed', new Error('closed'));
    try {
      await this.jsm.getAccountInfo();
    } catch (err) {
      throw busUnavailable('JetStream did not answer', err);
    }
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((loop) => loop.stop()));
    this.#consumers.clear();
    if (!this.nc.isClosed()) await this.nc.drain();
    await this.#statusLog;
  }

  #logging(consumer: string) {
    return { logger: this.options.logger.child({ consumer }), metrics: this.options.metrics };
  }
}

/**
 * Connects to NATS and JetStream. The connection reconnects forever: an outage turns publishes into
 * GITOPS_BUS_UNAVAILABLE errors and pauses consumers, and both resume once NATS is back.
 */
export async function connectBus(options: BusOptions): Promise<Bus> {
  const timeoutMs = options.timeoutMs ?? 5000;
  const source = options.source ? ` (${options.source})` : '';
  const as = options.user ? ` as ${options.user}` : '';
  const nc = await unavailableUnless(
    `cannot connect to NATS at ${shownServers(options.servers)}${source}${as}`,
    () =>
      connect({
        ...natsClientOptions(options),
        name: options.name,
        maxReconnectAttempts: -1,
        reconnectTimeWait: options.reconnectTimeWaitMs ?? 1000,
      }),
  );
  const js = jetstream(nc, { timeout: timeoutMs });
  const jsm = await jetstreamManager(nc, { timeout: timeoutMs, checkAPI: false });
  return new NatsBus(nc, js, jsm, { ...options, timeoutMs });
}
