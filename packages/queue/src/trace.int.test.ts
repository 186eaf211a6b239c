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
import { trace } from '@opentelemetry/api';
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
});
