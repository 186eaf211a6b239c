import { SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { consumerSpan, producerSpan } from './messaging-spans.js';
import { inMemoryTracing } from './test/in-memory-tracing.js';
import { extractTraceContext, injectTraceContext, recordCarrier } from './tracing.js';

const tracing = inMemoryTracing();
afterAll(() => tracing.disable());

const message = {
  system: 'nats',
  destination: 'gitops.v1.hello.source.received',
  messageId: 'hello-1.source.received',
  conversationId: 'hello-1',
  bodySize: 512,
} as const;

const finished = (name: string) => {
  const span = tracing.exporter.getFinishedSpans().find((s) => s.name === name);
  expect(span, `a finished span ${name}`).toBeDefined();
  return span!;
};

describe('messaging spans', () => {
  beforeEach(() => tracing.exporter.reset());

  it('publishes in a PRODUCER span whose context is the traceparent injected inside it', async () => {
    const carrier = recordCarrier();
    await producerSpan(message, async () => injectTraceContext(carrier));
    const span = finished('publish gitops.v1.hello.source.received');
    expect(span.kind).toBe(SpanKind.PRODUCER);
    expect(span.attributes).toEqual({
      'messaging.system': 'nats',
      'messaging.system.name': 'nats',
      'messaging.operation.type': 'send',
      'messaging.operation.name': 'publish',
      'messaging.destination.name': 'gitops.v1.hello.source.received',
      'messaging.message.id': 'hello-1.source.received',
      'messaging.message.conversation_id': 'hello-1',
      'messaging.message.body.size': 512,
    });
    const { traceId, spanId } = span.spanContext();
    expect(carrier.record.traceparent).toBe(`00-${traceId}-${spanId}-01`);
  });

  it('processes in a CONSUMER span parented on and linked to the producer, and hands on its own context', async () => {
    const carrier = recordCarrier();
    await producerSpan(message, async () => injectTraceContext(carrier));
    const producer = finished('publish gitops.v1.hello.source.received').spanContext();
    let handedOn: string | undefined;
    await consumerSpan(
      { ...message, consumerGroup: 'builder--source-received', attempt: 2 },
      extractTraceContext(carrier),
      async (active) => {
        handedOn = trace.getSpanContext(active)?.spanId;
      },
    );
    const span = finished('process gitops.v1.hello.source.received');
    expect(span.kind).toBe(SpanKind.CONSUMER);
    expect(span.spanContext().traceId).toBe(producer.traceId);
    expect(span.parentSpanContext?.spanId).toBe(producer.spanId);
    expect(span.links.map((link) => link.context.spanId)).toEqual([producer.spanId]);
    expect(span.attributes).toMatchObject({
      'messaging.operation.type': 'process',
      'messaging.consumer.group.name': 'builder--source-received',
      'gitops.message.attempt': 2,
      'messaging.message.conversation_id': 'hello-1',
    });
    expect(handedOn).toBe(span.spanContext().spanId);
  });

  it('starts a trace of its own, unlinked, for a message that carried none', async () => {
    await consumerSpan(
      { ...message, consumerGroup: 'g', attempt: 1 },
      extractTraceContext(recordCarrier()),
      async () => {},
    );
    const span = finished('process gitops.v1.hello.source.received');
    expect(span.parentSpanContext).toBeUndefined();
    expect(span.links).toEqual([]);
  });
});
