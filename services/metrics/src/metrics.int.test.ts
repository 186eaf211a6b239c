import { DEAD_LETTER_STREAM } from '@gitops/bus';
import type { GitopsEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import { readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { metricsService } from './service.js';
import { type TestDatabase, stores } from './test/databases.js';
import { at, deliveredPipeline, pipeline } from './test/history.js';
import { readSse } from './test/sse-reader.js';

describe.each(stores)('the metrics service on $kind', ({ open }) => {
  let bus: BusFixture;
  let store: TestDatabase;
  let service: Awaited<ReturnType<typeof startServiceFixture>>;
  // biome-ignore lint/suspicious/noExplicitAny: API answers read in assertions
  const get = async (path: string): Promise<{ status: number; body: any }> => {
    const response = await fetch(`${service.url}${path}`);
    return { status: response.status, body: await response.json() };
  };
  const publish = async (events: Array<{ event: GitopsEvent }>) => {
    for (const { event } of events) await bus.bus.publish(event);
  };
  const history = deliveredPipeline(
    { app: 'web', id: 'web-1', commit: 7, committed: at('2026-01-02T00:00:00Z') },
    'prod',
    at('2026-01-02T01:00:00Z'),
  );

  beforeAll(async () => {
    bus = await startBusFixture({ platformUsers: true });
    // PGlite is in the service's process, so this test reads through the service's API only.
    store = await open();
    service = await startServiceFixture(metricsService, {
      bus,
      redisUrl: 'redis://127.0.0.1:1',
      apps: [],
      env: {
        ...bus.envAs('metrics'),
        ...(store.url ? { DATABASE_URL: store.url } : {}),
        INGEST_WAIT: '10ms',
      },
    });
  });
  afterAll(async () => {
    await service?.stop();
    await store?.dispose();
    await bus?.dispose();
  });

  it('stores published events, a replay once, and shows the pipeline timeline', async () => {
    await publish(history);
    await new Promise((resolve) => setTimeout(resolve, 300)); // past the test's 200 ms duplicate window
    await publish([history[0]!]);
    const found = await vi.waitFor(async () => {
      const { status, body } = await get('/api/v1/pipelines/web-1');
      expect(status).toBe(200);
      expect(body.stages).toHaveLength(5);
      return body;
    });
    expect(found.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'source',
      'build',
      'image',
      'config',
      'deploy',
    ]);
    const list = await get('/api/v1/pipelines?app=web');
    expect(list.body.pipelines.map((p: { id: string }) => p.id)).toEqual(['web-1']);
    const audit = await get('/api/v1/audit?app=web&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z');
    expect(audit.body.records.filter((r: { kind: string }) => r.kind === 'push')).toHaveLength(1);
    expect((await get('/api/v1/audit/verify')).body).toMatchObject({ ok: true });
    const csv = await fetch(
      `${service.url}/api/v1/audit?app=web&format=csv&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
    );
    expect(csv.headers.get('content-type')).toContain('text/csv');
    const lines = (await csv.text()).trim().split('\n');
    expect(lines[0]).toBe('seq,at,app,pipelineId,kind,actor,eventId,details,prevHash,hash');
    expect(lines.slice(1).map((line) => line.split(',')[4])).toEqual([
      'push',
      'build',
      'image',
      'config',
      'deploy',
    ]);
    expect(lines[1]).toContain('"{""branch"":""main""');
  });

  it('pages pipelines with a cursor', async () => {
    const more = [2, 3, 4].flatMap((n) =>
      pipeline({ app: 'paged', id: `paged-${n}`, commit: n, committed: at('2026-01-03T00:00:00Z') }).received(
        at(`2026-01-0${n}T00:00:00Z`),
      ),
    );
    await publish(more);
    await vi.waitFor(async () =>
      expect((await get('/api/v1/pipelines?app=paged')).body.pipelines).toHaveLength(3),
    );
    const first = await get('/api/v1/pipelines?app=paged&limit=2');
    expect(first.body.pipelines.map((p: { id: string }) => p.id)).toEqual(['paged-4', 'paged-3']);
    const second = await get(`/api/v1/pipelines?app=paged&limit=2&cursor=${first.body.nextCursor}`);
    expect(second.body).toMatchObject({ pipelines: [{ id: 'paged-2' }], nextCursor: null });
  });

  it('answers 400 naming the bad parameter', async () => {
    expect(await get('/api/v1/pipelines?limit=0')).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('limit') },
    });
    expect(await get('/api/v1/pipelines?cursor=nonsense')).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('cursor') },
    });
    expect(await get('/api/v1/metrics/dora?from=yesterday')).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('from') },
    });
    expect(await get('/api/v1/events?type=deploy.exploded')).toMatchObject({
      status: 400,
      body: { message: expect.stringContaining('type') },
    });
    expect(await get('/api/v1/pipelines/none')).toMatchObject({ status: 404 });
  });

  it('streams events filtered by app and type, resuming after Last-Event-ID', async () => {
    const app = `live-${store.url ? 'pg' : 'pglite'}`;
    const p = pipeline({ app, id: `${app}-1`, commit: 9, committed: at('2026-01-04T00:00:00Z') });
    const events = [
      p.received(at('2026-01-04T00:01:00Z')),
      p.buildStarted(at('2026-01-04T00:02:00Z')),
      p.imagePushed(at('2026-01-04T00:05:00Z')),
    ];
    const live = await readSse(
      `${service.url}/api/v1/events?app=${app}&type=source.received,image.pushed`,
      2,
      {
        onOpen: () => publish(events),
      },
    );
    expect(live.map((m) => m.event)).toEqual(['source.received', 'image.pushed']);
    expect(JSON.parse(live[1]!.data).id).toBe(events[2]!.event.id);
    const resumed = await readSse(`${service.url}/api/v1/events?app=${app}`, 2, { lastEventId: live[0]!.id });
    expect(resumed.map((m) => m.event)).toEqual(['build.started', 'image.pushed']);
  });

  it('serves OpenAPI, the dashboard and Prometheus metrics', async () => {
    const docs = await get('/docs');
    expect(Object.keys(docs.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/pipelines', '/api/v1/metrics/dora', '/api/v1/audit/verify']),
    );
    expect((await fetch(`${service.url}/`)).headers.get('content-type')).toContain('text/html');
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(
      /gitops_pipeline_stage_duration_seconds_count\{app="web",stage="build",outcome="succeeded"\} 1/,
    );
    expect(metrics).toMatch(/gitops_lead_time_seconds_count\{app="web",environment="prod"\} 1/);
    expect(metrics).toMatch(/gitops_pipelines_total\{app="web"\} 1/);
  });

  it('dead-letters an event the store refuses, stores the rest of its batch and counts it', async () => {
    const p = (n: number) =>
      pipeline({ app: 'refused', id: `refused-${n}`, commit: 40 + n, committed: at('2026-01-05T00:00:00Z') });
    const refused = p(2).received(at('2026-01-05T00:01:00Z'));
    // Year 0: a valid RFC 3339 time that PostgreSQL's timestamptz refuses.
    (refused.event.data as { headCommit: { timestamp: string } }).headCommit.timestamp =
      '0000-01-01T00:00:00Z';
    await publish([
      p(1).received(at('2026-01-05T00:01:00Z')),
      refused,
      p(3).received(at('2026-01-05T00:02:00Z')),
    ]);
    const [parked] = await readStream(bus.env.NATS_URL, 'gitops.dlq.metrics', {
      stream: DEAD_LETTER_STREAM,
      atLeast: 1,
    });
    expect(parked!.json.id).toBe(refused.event.id);
    expect(parked!.headers['Gitops-Dead-Letter-Reason']).toBe('dropped');
    await vi.waitFor(async () => {
      const { body } = await get('/api/v1/pipelines?app=refused');
      expect(body.pipelines.map((x: { id: string }) => x.id).sort()).toEqual(['refused-1', 'refused-3']);
    });
    const metrics = await (await fetch(`${service.url}/metrics`)).text();
    expect(metrics).toMatch(/gitops_metrics_events_refused_total\{name="source.received"\} 1/);
  });
});
