import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { STREAM_NAME, subjectFilter, subjectFor } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { createMetrics } from '@gitops/telemetry';
import { sourceReceived, uniqueApp } from '@gitops/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it, vi } from 'vitest';
import type { ConsumeOptions, Delivery } from './consume-options.js';
import { DeadLetterHeaders, deadLetterSubject } from './names.js';
import { busScope } from './test/bus-scope.js';
import { DEAD_LETTER_STREAM } from './topology.js';

describe('bus.consume', () => {
  const scope = busScope();
  const open = scope.open;
  /** A consumer of one fresh app's source.received events, retrying fast. */
  const scenario = () => {
    const app = uniqueApp();
    const options: ConsumeOptions = {
      durable: `test--${randomUUID()}`,
      filterSubject: subjectFilter('source.received', app),
      expected: 'source.received',
      backoffMs: () => 20,
      maxDeliver: 3,
    };
    return { app, options, subject: subjectFor(app, 'source.received') };
  };
  const deadLetter = (durable: string) =>
    vi.waitFor(() => scope.look.last(deadLetterSubject(durable), DEAD_LETTER_STREAM), { timeout: 5000 });

  it('hands a decoded event to the handler and acks it', async () => {
    const { app, options } = scenario();
    const metrics = createMetrics();
    const bus = await open({ metrics });
    const seen: Delivery[] = [];
    await bus.consume(options, async (delivery) => void seen.push(delivery));
    const event = sourceReceived(app);
    await bus.publish(event);
    await scope.settled(options.durable);
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ event: { name: 'source.received', event }, deliveryCount: 1 });
    const consumed = await metrics.eventsConsumed.get();
    expect(consumed.values).toEqual([
      expect.objectContaining({ value: 1, labels: { consumer: options.durable, outcome: 'ack' } }),
    ]);
  });

  it('starts a new consumer within its lookback, not from the beginning of the stream', async () => {
    const { app, options } = scenario();
    const bus = await open();
    const old = sourceReceived(app);
    await bus.publish(old);
    await sleep(1200);
    const recent = sourceReceived(app);
    await bus.publish(recent);
    const seen: string[] = [];
    await bus.consume(
      { ...options, startLookbackMs: 600 },
      async ({ event }) => void seen.push(event.event.id),
    );
    await scope.settled(options.durable);
    expect(seen).toEqual([recent.id]);
  });

  it('keeps a consumer’s position when a later start changes its ack wait', async () => {
    const { app, options } = scenario();
    const first = await open();
    const handled: string[] = [];
    const handle = await first.consume(options, async ({ event }) => void handled.push(event.event.id));
    const before = sourceReceived(app);
    await first.publish(before);
    await scope.settled(options.durable);
    await handle.stop();
    const after = sourceReceived(app);
    await first.publish(after);
    await (await open()).consume(
      { ...options, ackWaitMs: 45_000 },
      async ({ event }) => void handled.push(event.event.id),
    );
    await scope.settled(options.durable);
    expect(handled).toEqual([before.id, after.id]);
    expect((await scope.look.jsm.consumers.info(STREAM_NAME, options.durable)).config.ack_wait).toBe(
      45_000_000_000,
    );
  });

  it('lets several replicas create the same consumer at the same moment', async () => {
    const { app, options } = scenario();
    const replicas = await Promise.all([open(), open(), open()]);
    const handled: string[] = [];
    await Promise.all(
      replicas.map((bus) => bus.consume(options, async ({ event }) => void handled.push(event.event.id))),
    );
    const event = sourceReceived(app);
    await replicas[0]!.publish(event);
    await scope.settled(options.durable);
    expect(handled).toEqual([event.id]);
  });

  it('retries a handler that throws a transient error, then acks it', async () => {
    const { app, options } = scenario();
    const bus = await open();
    const deliveries: number[] = [];
    await bus.consume(options, async ({ deliveryCount }) => {
      deliveries.push(deliveryCount);
      if (deliveryCount < 3) throw new Error('ECONNRESET');
    });
    await bus.publish(sourceReceived(app));
    await vi.waitFor(() => expect(deliveries).toEqual([1, 2, 3]));
    await scope.settled(options.durable);
    expect(await scope.look.count(deadLetterSubject(options.durable), DEAD_LETTER_STREAM)).toBe(0);
  });

  it('dead-letters a payload that is not an event, with its data, subject and reason', async () => {
    const { options, subject } = scenario();
    const bus = await open();
    const handler = vi.fn(async () => undefined);
    await bus.consume(options, handler);
    const nc = await connect({ servers: scope.nats.url });
    await jetstream(nc).publish(subject, 'not json at all');
    await nc.close();
    const parked = await deadLetter(options.durable);
    expect(Buffer.from(parked.data).toString()).toBe('not json at all');
    expect(parked.header.get(DeadLetterHeaders.reason)).toBe('invalid-payload');
    expect(parked.header.get(DeadLetterHeaders.subject)).toBe(subject);
    expect(parked.header.get(DeadLetterHeaders.error)).toMatch(/not JSON/);
    await scope.settled(options.durable);
    expect(handler).not.toHaveBeenCalled();
  });

  it('dead-letters an event whose handler still fails at maxDeliver', async () => {
    const { app, options } = scenario();
    const bus = await open();
    const handler = vi.fn(async () => {
      throw new Error('registry timed out');
    });
    await bus.consume(options, handler);
    const event = sourceReceived(app);
    await bus.publish(event);
    const parked = await deadLetter(options.durable);
    expect(parked.header.get(DeadLetterHeaders.reason)).toBe('max-deliveries');
    expect(parked.header.get(DeadLetterHeaders.deliveries)).toBe('3');
    expect(parked.header.get(DeadLetterHeaders.error)).toBe('registry timed out');
    expect(JSON.parse(Buffer.from(parked.data).toString())).toEqual(event);
    await scope.settled(options.durable);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('dead-letters at once an event whose handler throws a non-retryable error', async () => {
    const { app, options } = scenario();
    const bus = await open();
    const handler = vi.fn(async () => {
      throw new AppError('GITOPS_TEST_BAD', 'cannot ever work');
    });
    await bus.consume(options, handler);
    await bus.publish(sourceReceived(app));
    const parked = await deadLetter(options.durable);
    expect(parked.header.get(DeadLetterHeaders.reason)).toBe('dropped');
    expect(parked.header.get(DeadLetterHeaders.error)).toBe('GITOPS_TEST_BAD: cannot ever work');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('splits the work between replicas sharing a durable, handling each event once', async () => {
    const { app, options } = scenario();
    const handled = new Map<string, number>();
    const byReplica = [0, 0];
    for (const replica of [0, 1]) {
      const bus = await open();
      await bus.consume({ ...options, maxInFlight: 2 }, async ({ event }) => {
        byReplica[replica] = (byReplica[replica] ?? 0) + 1;
        handled.set(event.event.id, (handled.get(event.event.id) ?? 0) + 1);
        await sleep(30);
      });
    }
    const publisher = await open();
    const events = Array.from({ length: 20 }, () => sourceReceived(app));
    await Promise.all(events.map((event) => publisher.publish(event)));
    await vi.waitFor(() => expect(handled.size).toBe(20), { timeout: 10_000 });
    await scope.settled(options.durable);
    expect([...handled.values()].every((count) => count === 1)).toBe(true);
    expect(byReplica.every((count) => count > 0)).toBe(true);
  });

  it('keeps consuming after the NATS server restarts', async () => {
    const { app, options } = scenario();
    const bus = await open();
    const seen: string[] = [];
    await bus.consume(options, async ({ event }) => void seen.push(event.event.id));
    const before = sourceReceived(app);
    await bus.publish(before);
    await vi.waitFor(() => expect(seen).toEqual([before.id]));
    await scope.nats.restart();
    const after = sourceReceived(app);
    await vi.waitFor(() => bus.publish(after, { timeoutMs: 500 }), { timeout: 10_000, interval: 100 });
    await vi.waitFor(() => expect(seen).toContain(after.id), { timeout: 10_000 });
    // Delivery is at least once: nats-server 2.9 may forget an ack it got just before the restart.
    expect(new Set(seen)).toEqual(new Set([before.id, after.id]));
  });

  it('lets a running handler finish and acks it before close() resolves', async () => {
    const { app, options } = scenario();
    const bus = await open();
    let finished = false;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      started = resolve;
    });
    await bus.consume(options, async () => {
      started();
      await sleep(300);
      finished = true;
    });
    await bus.publish(sourceReceived(app));
    await running;
    await bus.close();
    expect(finished).toBe(true);
    await scope.settled(options.durable);
  });

  it('stops promptly even when stopped right after it started', async () => {
    const bus = await open();
    for (let i = 0; i < 20; i++) {
      const consumer = await bus.consume(scenario().options, async () => undefined);
      await expect(Promise.race([consumer.stop(), sleep(2000).then(() => 'hung')])).resolves.toBeUndefined();
    }
  });
});
