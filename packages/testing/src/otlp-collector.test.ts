import { producerSpan, startSpan, startTracing } from '@gitops/telemetry';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { type OtlpCollector, startOtlpCollector } from './otlp-collector.js';

describe('startOtlpCollector', () => {
  let collector: OtlpCollector | undefined;
  afterAll(() => collector?.dispose());

  it('keeps the spans a service exports with its name, kinds, parents and attributes', async () => {
    collector = await startOtlpCollector();
    const stop = await startTracing('test-service', { OTEL_EXPORTER_OTLP_ENDPOINT: collector.url });
    const message = {
      system: 'nats',
      destination: 'gitops.v1.a.b.c',
      messageId: 'm',
      conversationId: 'p',
    } as const;
    await startSpan('unit of work', () => producerSpan(message, async () => undefined));
    await stop();
    for (const api of [trace, context, propagation]) api.disable();
    const spans = await collector.waitFor((received) => received.length === 2, 5000);
    const work = spans.find((span) => span.name === 'unit of work');
    const publish = spans.find((span) => span.name === 'publish gitops.v1.a.b.c');
    expect(work).toMatchObject({ service: 'test-service', kind: 'INTERNAL', parentSpanId: undefined });
    expect(publish).toMatchObject({
      service: 'test-service',
      kind: 'PRODUCER',
      traceId: work?.traceId,
      parentSpanId: work?.spanId,
      attributes: { 'messaging.system': 'nats', 'messaging.message.id': 'm' },
    });
  });

  it('refuses what is not OTLP/JSON on /v1/traces', async () => {
    collector ??= await startOtlpCollector();
    const protobuf = await fetch(`${collector.url}/v1/traces`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-protobuf' },
      body: new Uint8Array([1, 2]),
    });
    expect(protobuf.status).toBe(415);
  });
});
