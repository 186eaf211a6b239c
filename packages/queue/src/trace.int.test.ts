import { subjectFor } from '@gitops/contracts';
import { startSpan } from '@gitops/telemetry';
import {
  type RedisServer,
  buildStarted,
  registerTracing,
  sourceReceived,
  startRedisServer,
  uniqueApp,
} from '@gitops/testing';
import { SpanKind, trace } from '@opentelemetry/api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobIdFor } from './job-id.js';
import { type Harness, startHarness } from './test/harness.js';

describe('a stage runner with tracing on', () => {
  const tracing = registerTracing();
  let redis: RedisServer;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await startHarness(redis.url);
  });
  afterAll(async () => {
    await h?.dispose();
    await redis?.dispose();
    tracing.disable();
  });

  it('continues the trace of the source event in the job and in the events it publishes', async () => {
    const app = uniqueApp();
    const seen: (string | undefined)[] = [];
    await h
      .runner({
        handlers: {
          'source.received': async (event) => {
            seen.push(trace.getActiveSpan()?.spanContext().traceId);
            return [buildStarted(event)];
          },
        },
      })
      .start();
    const source = sourceReceived(app);
    let traceId = '';
    await startSpan('receive webhook', (span) => {
      traceId = span.spanContext().traceId;
      return h.bus.publish(source);
    });
    await h.waitForState(jobIdFor(source), 'completed');
    expect(seen).toEqual([traceId]);
    const job = await h.queue.getJob(jobIdFor(source));
    expect(job?.data.carrier.traceparent).toMatch(new RegExp(`^00-${traceId}-`));
    const result = await h.look.last(subjectFor(app, 'build.started'));
    expect(result?.header.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-`));
  });

  it('runs the job in a CONSUMER span between the event consumer span and the result PRODUCER span', async () => {
    const app = uniqueApp();
    await h.runner({ handlers: { 'source.received': async (event) => [buildStarted(event)] } }).start();
    const source = sourceReceived(app);
    await h.bus.publish(source);
    await h.waitForState(jobIdFor(source), 'completed');
    const spans = tracing.exporter.getFinishedSpans();
    const named = (name: string) => {
      const span = spans.find((s) => s.name === name);
      expect(span, name).toBeDefined();
      return span!;
    };
    const published = named(`publish ${subjectFor(app, 'source.received')}`);
    const consumed = named(`process ${subjectFor(app, 'source.received')}`);
    const job = spans.find(
      (s) => s.name === `process ${h.service}` && s.attributes['messaging.message.id'] === jobIdFor(source),
    );
    const result = named(`publish ${subjectFor(app, 'build.started')}`);
    expect(job?.kind).toBe(SpanKind.CONSUMER);
    expect([published.kind, consumed.kind, result.kind]).toEqual([
      SpanKind.PRODUCER,
      SpanKind.CONSUMER,
      SpanKind.PRODUCER,
    ]);
    // One chain, hence one trace: publish -> process the event -> process the job -> publish the result.
    expect(consumed.parentSpanContext?.spanId).toBe(published.spanContext().spanId);
    expect(job?.parentSpanContext?.spanId).toBe(consumed.spanContext().spanId);
    expect(result.parentSpanContext?.spanId).toBe(job?.spanContext().spanId);
    expect(result.spanContext().traceId).toBe(published.spanContext().traceId);
    expect(job?.attributes).toMatchObject({
      'messaging.system': 'bullmq',
      'messaging.destination.name': h.service,
      'messaging.message.conversation_id': source.data.pipelineId,
      'gitops.message.attempt': 1,
    });
  });
});
