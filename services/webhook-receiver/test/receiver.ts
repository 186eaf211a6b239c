import type { Application } from '@gitops/config';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { webhookReceiver } from '../src/service.js';

export interface TestReceiver {
  bus: BusFixture;
  receiver: StartedService<unknown>;
  dispose(): Promise<void>;
}

/**
 * The real receiver service for `apps`, on a NATS of the test's own whose duplicate window (60 s)
 * outlasts the test. It holds no queue: no Redis is needed, and none is given.
 */
export async function startTestReceiver(
  apps: Application[],
  env: Record<string, string>,
): Promise<TestReceiver> {
  const bus = await startBusFixture({ duplicateWindowMs: 60_000 });
  const receiver = await startServiceFixture(webhookReceiver, {
    bus,
    redisUrl: 'redis://127.0.0.1:1',
    apps,
    env,
  });
  return {
    bus,
    receiver,
    dispose: async () => {
      await receiver.stop();
      await bus.dispose();
    },
  };
}
