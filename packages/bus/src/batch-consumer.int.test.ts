import { randomUUID } from 'node:crypto';
import { STREAM_NAME, subjectFor } from '@gitops/contracts';
import { sourceReceived, uniqueApp } from '@gitops/testing';
import { jetstream } from '@nats-io/jetstream';
import { connect } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { DeadLetterHeaders, deadLetterSubject } from './names.js';
import { busScope } from './test/bus-scope.js';
import { DEAD_LETTER_STREAM } from './topology.js';

describe('bus.consumeBatches', () => {
  const scope = busScope();

  it('hands events over in batches of at most maxBatch, in stream order, and acks them', async () => {
    const app = uniqueApp();
    const bus = await scope.open();
    const events = Array.from({ length: 25 }, () => sourceReceived(app));
    for (const event of events) await bus.publish(event);
    const batches: string[][] = [];
    const durable = `test-${randomUUID()}`;
    await bus.consumeBatches(
      { durable, filterSubject: subjectFor(app, 'source.received'), maxBatch: 10, maxWaitMs: 20 },
      async (batch) => {
        batches.push(batch.map((item) => item.event.event.id));
      },
    );
    await scope.settled(durable);
    expect(batches.flat()).toEqual(events.map((event) => event.id));
    expect(Math.max(...batches.map((batch) => batch.length))).toBeLessThanOrEqual(10);
  });

  it('redelivers a whole batch whose handler failed, and acks nothing of it before', async () => {
    const app = uniqueApp();
    const bus = await scope.open();
    const events = [sourceReceived(app), sourceReceived(app)];
    for (const event of events) await bus.publish(event);
    const durable = `test-${randomUUID()}`;
    let calls = 0;
    let unackedAtFailure = -1;
    const seen: string[] = [];
    await bus.consumeBatches(
      { durable, filterSubject: subjectFor(app, 'source.received'), maxWaitMs: 20, retryDelayMs: 50 },
      async (batch) => {
        calls += 1;
        if (calls === 1) {
          unackedAtFailure = (await scope.look.jsm.consumers.info(STREAM_NAME, durable)).num_ack_pending;
          throw new Error('store down');
        }
        seen.push(...batch.map((item) => item.event.event.id));
      },
    );
    await scope.settled(durable);
    expect(unackedAtFailure).toBe(2);
    expect(seen.sort()).toEqual(events.map((event) => event.id).sort());
  });

  it('dead-letters a message that is not an event and hands over the rest', async () => {
    const app = uniqueApp();
    const bus = await scope.open();
    const nc = await connect({ servers: scope.nats.url });
    await jetstream(nc).publish(subjectFor(app, 'source.received'), 'not json');
    await nc.close();
    const event = sourceReceived(app);
    await bus.publish(event);
    const durable = `test-${randomUUID()}`;
    const seen: string[] = [];
    await bus.consumeBatches(
      { durable, filterSubject: subjectFor(app, 'source.received'), maxWaitMs: 20 },
      async (batch) => {
        seen.push(...batch.map((item) => item.event.event.id));
      },
    );
    await scope.settled(durable);
    expect(seen).toEqual([event.id]);
    expect(await scope.look.last(deadLetterSubject(durable), DEAD_LETTER_STREAM)).toBeTruthy();
  });

  it('dead-letters the items a handler rejects, with the reason, and acks the rest', async () => {
    const app = uniqueApp();
    const bus = await scope.open();
    const events = [sourceReceived(app), sourceReceived(app), sourceReceived(app)];
    for (const event of events) await bus.publish(event);
    const durable = `test-${randomUUID()}`;
    const seen: string[] = [];
    await bus.consumeBatches(
      { durable, filterSubject: subjectFor(app, 'source.received'), maxWaitMs: 20 },
      async (batch) => {
        seen.push(...batch.map((item) => item.event.event.id));
        const refused = batch.filter((item) => item.event.event.id === events[1]!.id);
        return { rejected: refused.map((item) => ({ item, error: new Error('value out of range') })) };
      },
    );
    await scope.settled(durable);
    expect(seen).toEqual(events.map((event) => event.id));
    const parked = await scope.look.last(deadLetterSubject(durable), DEAD_LETTER_STREAM);
    expect(JSON.parse(new TextDecoder().decode(parked!.data)).id).toBe(events[1]!.id);
    expect(parked!.header?.get(DeadLetterHeaders.reason)).toBe('dropped');
    expect(parked!.header?.get(DeadLetterHeaders.error)).toContain('value out of range');
  });
});
