import { STREAM_NAME, subjectFor } from '@gitops/contracts';
import { startSpan } from '@gitops/telemetry';
import {
  type Inspector,
  type NatsServer,
  freePort,
  registerTracing,
  sourceReceived,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Bus, connectBus } from './bus.js';
import { type NatsBus, startNatsBus } from './test/nats-bus.js';

describe('bus.publish', () => {
  let nats: NatsServer;
  let bus: Bus;
  let look: Inspector;
  const tracing = registerTracing();
  const publishAgain = (event: Parameters<Bus['publish']>[0]) =>
    vi.waitFor(() => bus.publish(event, { timeoutMs: 500 }), { timeout: 10_000, interval: 100 });

  let fixture: NatsBus;

  beforeAll(async () => {
    fixture = await startNatsBus({ timeoutMs: 1000, reconnectTimeWaitMs: 100 });
    ({ nats, bus, look } = fixture);
  });
  afterAll(async () => {
    await fixture?.dispose();
    tracing.disable();
  });

  it('resolves once stored, with the event id as Nats-Msg-Id and the active trace as traceparent', async () => {
    const event = sourceReceived(uniqueApp());
    let traceId = '';
    const result = await startSpan('receive webhook', (span) => {
      traceId = span.spanContext().traceId;
      return bus.publish(event);
    });
    expect(result).toEqual({ duplicate: false, seq: expect.any(Number) });
    const stored = await look.last(subjectFor(event.data.app, 'source.received'), STREAM_NAME);
    expect(stored.seq).toBe(result.seq);
    expect(stored.header.get('Nats-Msg-Id')).toBe(event.id);
    expect(stored.header.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-01$`));
    expect(JSON.parse(Buffer.from(stored.data).toString())).toEqual(event);
  });

  it('stores a re-published event once and says so, also after the server restarts', async () => {
    const event = sourceReceived(uniqueApp());
    const first = await bus.publish(event);
    expect(await bus.publish(event)).toEqual({ duplicate: true, seq: first.seq });
    await nats.restart();
    expect(await publishAgain(event)).toEqual({ duplicate: true, seq: first.seq });
    expect(await look.count(subjectFor(event.data.app, 'source.received'), STREAM_NAME)).toBe(1);
  });

  it('publishes a repeated event once to plain NATS subscribers too, with once', async () => {
    const event = sourceReceived(uniqueApp());
    const subject = subjectFor(event.data.app, 'source.received');
    const plain = await connect({ servers: nats.url });
    const seen: string[] = [];
    plain.subscribe(subject, { callback: (_err, msg) => void seen.push(msg.subject) });
    await plain.flush();
    const first = await bus.publish(event, { once: true });
    const repeats = [await bus.publish(event, { once: true }), await bus.publish(event, { once: true })];
    expect(repeats).toEqual([
      { duplicate: true, seq: first.seq },
      { duplicate: true, seq: first.seq },
    ]);
    await plain.flush();
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(seen).toHaveLength(1);
    await plain.close();
  });

  it('keeps ledger entries, the last value per key, for the duplicate window', async () => {
    const key = `job.test.${uniqueApp()}`;
    expect(await bus.ledger.get(key)).toBeUndefined();
    await bus.ledger.put(key, 'completed');
    await bus.ledger.put(key, 'failed');
    expect(await bus.ledger.get(key)).toBe('failed');
    expect(await bus.ledger.get('a key: with spaces/and colons')).toBeUndefined();
    await bus.ledger.put('a key: with spaces/and colons', 'x');
    expect(await bus.ledger.get('a key: with spaces/and colons')).toBe('x');
  });

  it('rejects with GITOPS_BUS_UNAVAILABLE within its timeout while NATS is down, then works again', async () => {
    const app = uniqueApp();
    await nats.stop();
    const started = Date.now();
    await expect(bus.publish(sourceReceived(app), { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'GITOPS_BUS_UNAVAILABLE',
      retryable: true,
      statusCode: 503,
    });
    expect(Date.now() - started).toBeLessThan(1500);
    await expect(bus.ping()).rejects.toMatchObject({ code: 'GITOPS_BUS_UNAVAILABLE' });
    await nats.restart();
    const later = sourceReceived(app);
    expect(await publishAgain(later)).toMatchObject({ duplicate: false });
    await expect(bus.ping()).resolves.toBeUndefined();
  });

  it('refuses to connect with GITOPS_BUS_UNAVAILABLE when no NATS server listens', async () => {
    const servers = [`nats://127.0.0.1:${await freePort()}`];
    await expect(connectBus({ servers, name: 'test', logger: testLogger() })).rejects.toMatchObject({
      code: 'GITOPS_BUS_UNAVAILABLE',
    });
  });
});
