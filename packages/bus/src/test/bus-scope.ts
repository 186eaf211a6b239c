import { STREAM_NAME } from '@gitops/contracts';
import { type Inspector, type NatsServer, inspect, startNatsServer, testLogger } from '@gitops/testing';
import { afterAll, afterEach, beforeAll, expect, vi } from 'vitest';
import { type Bus, type BusOptions, connectBus } from '../bus.js';

export interface BusScope {
  /** Set by the file's beforeAll. */
  nats: NatsServer;
  look: Inspector;
  /** A bus reconnecting fast; closed after each test. */
  open(options?: Partial<BusOptions>): Promise<Bus>;
  /** Waits until the durable has nothing pending or unacked. */
  settled(durable: string): Promise<void>;
}

/**
 * One NATS server per test file with the platform's streams, buses opened per test and closed after
 * it: the consumer tests' shared setup (it registers the file's hooks).
 */
export function busScope(): BusScope {
  const buses: Bus[] = [];
  const scope = {
    open: async (options: Partial<BusOptions> = {}) => {
      const bus = await connectBus({
        servers: [scope.nats.url],
        name: 'test',
        logger: testLogger(),
        reconnectTimeWaitMs: 100,
        ...options,
      });
      buses.push(bus);
      return bus;
    },
    settled: (durable: string) =>
      vi.waitFor(async () => {
        const info = await scope.look.jsm.consumers.info(STREAM_NAME, durable);
        expect(info.num_pending + info.num_ack_pending).toBe(0);
      }),
  } as BusScope;
  beforeAll(async () => {
    scope.nats = await startNatsServer();
    await (await scope.open()).provision();
    scope.look = await inspect(scope.nats.url);
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
  });
  afterAll(async () => {
    await scope.look?.close();
    await scope.nats?.dispose();
  });
  return scope;
}
