import { randomUUID } from 'node:crypto';
import { subjectFilter } from '@gitops/contracts';
import { createMetrics } from '@gitops/telemetry';
import { type NatsServer, sourceReceived, uniqueApp } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bus } from './bus.js';
import { type NatsBus, startNatsBus } from './test/nats-bus.js';

const series = (text: string, name: string, durable: string) =>
  Number(new RegExp(`^${name}\\{consumer="${durable}"\\} (\\d+)$`, 'm').exec(text)?.[1] ?? Number.NaN);

describe('the consumer backlog gauges', () => {
  let nats: NatsServer;
  let bus: Bus;
  const metrics = createMetrics();

  let fixture: NatsBus;

  beforeAll(async () => {
    fixture = await startNatsBus({ metrics, timeoutMs: 1000, reconnectTimeWaitMs: 100 });
    ({ nats, bus } = fixture);
  });
  afterAll(() => fixture?.dispose());

  it('report pending and ack-pending messages per durable, and leave them out while NATS is down', async () => {
    const app = uniqueApp();
    const durable = `test--${randomUUID()}`;
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const consumer = await bus.consume(
      { durable, filterSubject: subjectFilter('source.received', app), maxInFlight: 1 },
      () => held,
    );
    for (let i = 0; i < 3; i++) await bus.publish(sourceReceived(app));
    await vi.waitFor(async () => {
      const text = await metrics.registry.metrics();
      expect(series(text, 'gitops_consumer_ack_pending_messages', durable)).toBeGreaterThanOrEqual(1);
      const pending = series(text, 'gitops_consumer_pending_messages', durable);
      expect(pending + series(text, 'gitops_consumer_ack_pending_messages', durable)).toBe(3);
    });

    release();
    await vi.waitFor(async () => {
      const settled = await metrics.registry.metrics();
      expect(series(settled, 'gitops_consumer_pending_messages', durable)).toBe(0);
      expect(series(settled, 'gitops_consumer_ack_pending_messages', durable)).toBe(0);
    });

    await nats.stop();
    const outage = await metrics.registry.metrics();
    expect(outage).toContain('gitops_events_published_total');
    expect(outage).not.toContain(`pending_messages{consumer="${durable}"}`);
    await nats.restart();
    await vi.waitFor(
      async () =>
        expect(await metrics.registry.metrics()).toContain(`pending_messages{consumer="${durable}"}`),
      { timeout: 10_000 },
    );
    await consumer.stop();
    expect(await metrics.registry.metrics()).not.toContain(`pending_messages{consumer="${durable}"}`);
  });
});
