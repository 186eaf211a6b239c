import { type Inspector, type NatsServer, inspect, startNatsServer, testLogger } from '@gitops/testing';
import { type Bus, type BusOptions, connectBus } from '../bus.js';

export interface NatsBus {
  nats: NatsServer;
  bus: Bus;
  look: Inspector;
  dispose(): Promise<void>;
}

/**
 * A NATS server of the test's own, a bus on it with the platform's streams provisioned, and an
 * inspector of what is stored. The bus package's tests use it; tests above the bus use
 * `startBusFixture` from @gitops/fixtures.
 */
export async function startNatsBus(options: Partial<BusOptions> = {}): Promise<NatsBus> {
  const nats = await startNatsServer();
  const bus = await connectBus({ servers: [nats.url], name: 'test', logger: testLogger(), ...options });
  await bus.provision();
  const look = await inspect(nats.url);
  return {
    nats,
    bus,
    look,
    dispose: async () => {
      await bus.close();
      await look.close();
      await nats.dispose();
    },
  };
}
