import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import Fastify from 'fastify';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { registerHttpSpans } from './http-spans.js';
import { inMemoryTracing } from './test/in-memory-tracing.js';

const tracing = inMemoryTracing();
afterAll(() => tracing.disable());

function buildApp() {
  const app = Fastify();
  registerHttpSpans(app, { ignoreRoutes: ['/healthz'] });
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.post<{ Params: { provider: string } }>('/webhooks/:provider', async (request) => {
    // Past the body parser and an await, the handler still runs inside the request's span.
    await sleep(1);
    return { activeSpanId: trace.getActiveSpan()?.spanContext().spanId, provider: request.params.provider };
  });
  app.get('/broken', async () => {
    throw Object.assign(new Error('NATS is away'), { statusCode: 503 });
  });
  app.get('/refused', async () => {
    throw Object.assign(new Error('bad signature'), { statusCode: 401 });
  });
  return app;
}

const onlySpan = () => {
  const spans = tracing.exporter.getFinishedSpans();
  expect(spans).toHaveLength(1);
  return spans[0]!;
};

describe('registerHttpSpans', () => {
  beforeEach(() => tracing.exporter.reset());

  it('answers each request in a SERVER span named by method and route, with the HTTP attributes', async () => {
    const response = await buildApp().inject({
      method: 'POST',
      url: '/webhooks/generic?delivery=1',
      payload: { ref: 'refs/heads/main' },
    });
    const span = onlySpan();
    expect(span.kind).toBe(SpanKind.SERVER);
    expect(span.name).toBe('POST /webhooks/:provider');
    expect(span.attributes).toEqual({
      'http.request.method': 'POST',
      'url.path': '/webhooks/generic',
      'url.scheme': 'http',
      'http.route': '/webhooks/:provider',
      'http.response.status_code': 200,
    });
    expect(span.parentSpanContext).toBeUndefined();
    expect(response.json().activeSpanId).toBe(span.spanContext().spanId);
  });

  it('continues the trace of an incoming traceparent header', async () => {
    const traceId = '0af7651916cd43dd8448eb211c80319c';
    await buildApp().inject({
      method: 'POST',
      url: '/webhooks/generic',
      headers: { traceparent: `00-${traceId}-b7ad6b7169203331-01` },
      payload: {},
    });
    const span = onlySpan();
    expect(span.spanContext().traceId).toBe(traceId);
    expect(span.parentSpanContext?.spanId).toBe('b7ad6b7169203331');
  });

  it('marks a 5xx answer as an error and leaves a 4xx unset', async () => {
    const app = buildApp();
    await app.inject({ method: 'GET', url: '/broken' });
    const broken = onlySpan();
    expect(broken.status.code).toBe(SpanStatusCode.ERROR);
    expect(broken.attributes).toMatchObject({ 'http.response.status_code': 503, 'error.type': '503' });
    expect(broken.events.map((event) => event.name)).toEqual(['exception']);
    tracing.exporter.reset();
    await app.inject({ method: 'GET', url: '/refused' });
    const refused = onlySpan();
    expect(refused.status.code).toBe(SpanStatusCode.UNSET);
    expect(refused.attributes['error.type']).toBeUndefined();
  });

  it('names a request no route matched by its method alone', async () => {
    await buildApp().inject({ method: 'GET', url: '/nowhere' });
    const span = onlySpan();
    expect(span.name).toBe('GET');
    expect(span.attributes).toMatchObject({ 'url.path': '/nowhere', 'http.response.status_code': 404 });
    expect(span.attributes['http.route']).toBeUndefined();
  });

  it('makes no span for an ignored route', async () => {
    const response = await buildApp().inject({ method: 'GET', url: '/healthz' });
    expect(response.statusCode).toBe(200);
    expect(tracing.exporter.getFinishedSpans()).toEqual([]);
  });
});
