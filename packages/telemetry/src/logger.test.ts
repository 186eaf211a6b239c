import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, pipelineLogger } from './logger.js';
import { inMemoryTracing } from './test/in-memory-tracing.js';
import { startSpan } from './tracing.js';

const capture = () => {
  const stream = new PassThrough();
  const lines: Record<string, unknown>[] = [];
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(line));
  });
  return { stream, lines };
};

describe('createLogger', () => {
  it('writes JSON lines bound to the service, app and pipeline', async () => {
    const { stream, lines } = capture();
    pipelineLogger(createLogger({ service: 'builder', destination: stream }), {
      app: 'hello',
      pipelineId: 'hello-1',
    }).info('built');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({
      service: 'builder',
      app: 'hello',
      pipelineId: 'hello-1',
      msg: 'built',
      level: 30,
    });
  });

  it('redacts signatures, tokens and passwords wherever they are logged', async () => {
    const { stream, lines } = capture();
    const logger = createLogger({ service: 'receiver', destination: stream });
    logger.info({
      req: {
        headers: { 'x-hub-signature-256': 'sha256=abc', 'x-gitlab-token': 'glt', authorization: 'Bearer t' },
      },
      registry: { password: 'hunter2', token: 'tok' },
      secret: 's3cret',
    });
    await new Promise((r) => setImmediate(r));
    const text = JSON.stringify(lines[0]);
    for (const secret of ['sha256=abc', 'glt', 'Bearer t', 'hunter2', '"tok"', 's3cret'])
      expect(text).not.toContain(secret);
    expect(text).toContain('[redacted]');
  });
});

describe('createLogger with tracing', () => {
  it('adds no trace ids while no SDK is registered, even inside a span', async () => {
    const { stream, lines } = capture();
    await startSpan('unit of work', async () =>
      createLogger({ service: 'builder', destination: stream }).info('built'),
    );
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).not.toHaveProperty('trace_id');
    expect(lines[0]).not.toHaveProperty('span_id');
  });

  describe('once the SDK is registered', () => {
    let tracing: ReturnType<typeof inMemoryTracing>;
    beforeAll(() => {
      tracing = inMemoryTracing();
    });
    afterAll(() => tracing.disable());

    it('writes the trace_id and span_id of the active span in every line, children included', async () => {
      const { stream, lines } = capture();
      const logger = createLogger({ service: 'builder', destination: stream });
      let ids = { traceId: '', spanId: '' };
      await startSpan('unit of work', async (span) => {
        ids = span.spanContext();
        pipelineLogger(logger, { app: 'hello', pipelineId: 'hello-1' }).info('built');
      });
      logger.info('idle');
      await new Promise((r) => setImmediate(r));
      expect(lines[0]).toMatchObject({ trace_id: ids.traceId, span_id: ids.spanId, pipelineId: 'hello-1' });
      expect(lines[1]).not.toHaveProperty('trace_id');
    });
  });
});
