import { type IncomingMessage, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { context, propagation, trace } from '@opentelemetry/api';
import { afterAll, describe, expect, it } from 'vitest';
import { startTracing, tracingEnabled } from './otel-sdk.js';
import { startSpan } from './tracing.js';

describe('tracingEnabled', () => {
  it.each([
    [{}, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318' }, true],
    [{ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://collector:4318/v1/traces' }, true],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_TRACES_EXPORTER: 'none' }, false],
    [{ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' }, false],
  ])('with %j is %s', (env, expected) => expect(tracingEnabled(env)).toBe(expected));
});

describe('startTracing', () => {
  const received: { url: string; bytes: number }[] = [];
  const collector = createServer((request: IncomingMessage, response) => {
    let bytes = 0;
    request.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    request.on('end', () => {
      received.push({ url: request.url ?? '', bytes });
      response.end('{}');
    });
  });
  afterAll(() => new Promise<void>((resolve) => collector.close(() => resolve())));

  it('exports spans over OTLP/HTTP to the configured collector, flushed at shutdown', async () => {
    await new Promise<void>((resolve) => collector.listen(0, '127.0.0.1', resolve));
    const { port } = collector.address() as AddressInfo;
    const stop = await startTracing('test-service', {
      OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    });
    await startSpan('unit of work', async (span) => expect(span.spanContext().traceId).not.toMatch(/^0+$/));
    await stop();
    for (const api of [trace, context, propagation]) api.disable();
    expect(received).toEqual([{ url: '/v1/traces', bytes: expect.any(Number) }]);
    expect(received[0]?.bytes).toBeGreaterThan(0);
  });

  it('does nothing when tracing is off', async () => {
    const stop = await startTracing('test-service', {});
    await startSpan('noop', async (span) => expect(span.spanContext().traceId).toMatch(/^0+$/));
    await stop();
  });
});
