import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
// One pipeline, one trace: with the OTEL_* variables set, the receiver, builder and image pusher
// processes export their spans to an OTLP collector, and the trace that starts at the webhook
// request runs through every event and job to the publish of image.pushed (docs/tracing.md).
import {
  type CollectedSpan,
  type OtlpCollector,
  git,
  makeCommit,
  readStream,
  startOtlpCollector,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * The spans from the root down to `leaf`, following parent ids through what the collector holds, or
 * undefined while a parent has not arrived: a CONSUMER span ends (and is exported) only once its
 * message is acked, after the job it started finished.
 */
function ancestry(spans: CollectedSpan[], leaf: CollectedSpan): CollectedSpan[] | undefined {
  const byId = new Map(spans.map((span) => [span.spanId, span]));
  const chain = [leaf];
  for (let span = leaf; span.parentSpanId; ) {
    const parent = byId.get(span.parentSpanId);
    if (!parent) return undefined;
    chain.unshift(parent);
    span = parent;
  }
  return chain;
}

const traceIdOf = (traceparent: string | undefined) => traceparent?.split('-')[1];

describe('a pipeline with tracing on', () => {
  let collector: OtlpCollector;
  let platform: Platform;

  beforeAll(async () => {
    collector = await startOtlpCollector();
    platform = await startPlatform({
      env: {
        OTEL_EXPORTER_OTLP_ENDPOINT: collector.url,
        // Export within a tenth of a second instead of the SDK's default 5 s.
        OTEL_BSP_SCHEDULE_DELAY: '100',
      },
    });
  });

  afterAll(async () => {
    const codes = await platform?.stop();
    await collector?.dispose();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  it('is one trace from the receiver SERVER span to the image pusher publishing image.pushed', async () => {
    const { nats, services, work } = platform;
    await makeCommit(work, source, 'feat: traced commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
    const [pushed] = await readStream(nats.url, 'gitops.v1.hello.image.pushed', {
      atLeast: 1,
      timeoutMs: 60_000,
    });
    const traceId = traceIdOf(pushed?.headers.traceparent);
    const pipelineId = pushed?.json.subject;
    expect(traceId).toMatch(/^[0-9a-f]{32}$/);

    const isLeaf = (span: CollectedSpan) =>
      span.traceId === traceId && span.name === 'publish gitops.v1.hello.image.pushed';
    const complete = (received: CollectedSpan[]) => {
      const leaf = received.find(isLeaf);
      return leaf !== undefined && ancestry(received, leaf) !== undefined;
    };
    const spans = await collector.waitFor(complete);
    const chain = ancestry(spans, spans.find(isLeaf)!)!.filter((span) => span.kind !== 'INTERNAL');
    expect(chain.map(({ service, kind, name }) => ({ service, kind, name }))).toEqual([
      { service: 'webhook-receiver', kind: 'SERVER', name: 'POST /webhooks/:provider' },
      { service: 'webhook-receiver', kind: 'PRODUCER', name: 'publish gitops.v1.hello.source.received' },
      { service: 'builder', kind: 'CONSUMER', name: 'process gitops.v1.hello.source.received' },
      { service: 'builder', kind: 'CONSUMER', name: expect.stringMatching(/^process /) },
      { service: 'builder', kind: 'PRODUCER', name: 'publish gitops.v1.hello.build.succeeded' },
      { service: 'image-pusher', kind: 'CONSUMER', name: 'process gitops.v1.hello.build.succeeded' },
      { service: 'image-pusher', kind: 'CONSUMER', name: expect.stringMatching(/^process /) },
      { service: 'image-pusher', kind: 'PRODUCER', name: 'publish gitops.v1.hello.image.pushed' },
    ]);
    expect(chain[0]?.parentSpanId, 'the webhook request is the root').toBeUndefined();
    expect(chain[0]?.attributes).toMatchObject({
      'http.route': '/webhooks/:provider',
      'http.response.status_code': 202,
    });
    for (const span of chain.slice(1)) {
      expect(span.attributes, span.name).toMatchObject({ 'messaging.message.conversation_id': pipelineId });
    }
    expect(chain.filter((span) => span.attributes['messaging.system'] === 'bullmq')).toHaveLength(2);

    const pusherLog = services[2]!
      .output()
      .split('\n')
      .filter((line) => line.includes('"image pushed"'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(pusherLog, 'the pusher log line names the trace').toEqual([
      expect.objectContaining({ trace_id: traceId, pipelineId }),
    ]);
  });
});
