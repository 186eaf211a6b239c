import { randomUUID } from 'node:crypto';
import { STREAM_NAME, subjectFilter, subjectFor } from '@gitops/contracts';
import { type Inspector, registerTracing, sourceReceived, uniqueApp } from '@gitops/testing';
import { SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Bus } from './bus.js';
import { type NatsBus, startNatsBus } from './test/nats-bus.js';

describe('the bus with tracing on', () => {
  const tracing = registerTracing();
  let bus: Bus;
  let look: Inspector;
  const spansNamed = (name: string) => tracing.exporter.getFinishedSpans().filter((s) => s.name === name);

  let fixture: NatsBus;

  beforeAll(async () => {
    fixture = await startNatsBus();
    ({ bus, look } = fixture);
  });
  afterAll(async () => {
    await fixture?.dispose();
    tracing.disable();
  });

  it('publishes in a PRODUCER span that the stored traceparent names', async () => {
    const event = sourceReceived(uniqueApp());
    const subject = subjectFor(event.data.app, 'source.received');
    await bus.publish(event);
    const [producer] = spansNamed(`publish ${subject}`);
    expect(producer?.kind).toBe(SpanKind.PRODUCER);
    expect(producer?.attributes).toMatchObject({
      'messaging.system': 'nats',
      'messaging.operation.type': 'send',
      'messaging.destination.name': subject,
      'messaging.message.id': event.id,
      'messaging.message.conversation_id': event.data.pipelineId,
      'messaging.message.body.size': expect.any(Number),
    });
    const stored = await look.last(subject, STREAM_NAME);
    const { traceId, spanId } = producer!.spanContext();
    expect(stored.header.get('traceparent')).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('hands each delivery to its handler inside a CONSUMER span that continues the producer', async () => {
    const app = uniqueApp();
    const durable = `test--${randomUUID()}`;
    const active: (string | undefined)[] = [];
    const handedOn: (string | undefined)[] = [];
    const consumer = await bus.consume(
      { durable, filterSubject: subjectFilter('source.received', app), expected: 'source.received' },
      async ({ traceContext }) => {
        active.push(trace.getActiveSpan()?.spanContext().spanId);
        handedOn.push(trace.getSpanContext(traceContext)?.spanId);
      },
    );
    const event = sourceReceived(app);
    const subject = subjectFor(app, 'source.received');
    await bus.publish(event);
    const processed = await vi.waitFor(() => {
      const [span] = spansNamed(`process ${subject}`);
      expect(span).toBeDefined();
      return span!;
    });
    await consumer.stop();
    const producer = spansNamed(`publish ${subject}`)[0]!.spanContext();
    expect(processed.kind).toBe(SpanKind.CONSUMER);
    expect(processed.spanContext().traceId).toBe(producer.traceId);
    expect(processed.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(processed.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': durable,
      'messaging.message.id': event.id,
    });
    expect(active).toEqual([processed.spanContext().spanId]);
    expect(handedOn).toEqual([processed.spanContext().spanId]);
  });
});
