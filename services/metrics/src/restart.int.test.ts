import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type BusFixture, startBusFixture } from '@gitops/fixtures';
import { spawnService, writeApplications } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type TestDatabase, stores } from './test/databases.js';
import { at, deliveredPipeline } from './test/history.js';

const PIPELINES = 400; // 6 events each

describe.each(stores)('a metrics service killed mid-stream on $kind', ({ kind, open }) => {
  let bus: BusFixture;
  let store: TestDatabase;
  beforeAll(async () => {
    bus = await startBusFixture({ platformUsers: true });
    store = await open();
  });
  afterAll(async () => {
    await store?.dispose();
    await bus?.dispose();
  });

  it('loses nothing and stores nothing twice after kill -9 and a restart', async () => {
    const events = Array.from({ length: PIPELINES }, (_, n) =>
      deliveredPipeline(
        { app: 'crash', id: `crash-${n}`, commit: n + 1, committed: at('2026-01-05T00:00:00Z') },
        'prod',
        at('2026-01-05T01:00:00Z'),
      ),
    ).flat();
    const dataDir = await mkdtemp(join(tmpdir(), 'metrics-restart-'));
    const env = {
      ...bus.envAs('metrics'),
      GITOPS_DATA_DIR: dataDir,
      GITOPS_APPS: await writeApplications(dataDir, []),
      LOG_LEVEL: 'warn',
      INGEST_BATCH: '50',
      INGEST_WAIT: '5ms',
      INGEST_ACK_WAIT: '2s',
      ...(store.url ? { DATABASE_URL: store.url } : {}),
    };
    // biome-ignore lint/suspicious/noExplicitAny: API answers read in assertions
    const json = async (url: string): Promise<any> => (await fetch(url)).json();
    const first = await spawnService('metrics', env);
    const publishing = (async () => {
      for (const { event } of events) await bus.bus.publish(event);
    })();
    // Kill it while events are still arriving and batches are being written.
    await vi.waitFor(async () => {
      const { pipelines } = await json(`${first.url}/api/v1/pipelines?app=crash&limit=20`);
      expect(pipelines.length).toBeGreaterThanOrEqual(10);
    });
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));
    await publishing;
    await sleep(100);
    const second = await spawnService('metrics', env);
    try {
      const verified = await vi.waitFor(
        async () => {
          const answer = await json(`${second.url}/api/v1/audit/verify`);
          expect(answer.checked).toBe(PIPELINES * 5);
          return answer;
        },
        { timeout: 30_000, interval: 200 },
      );
      expect(verified.ok).toBe(true);
      const dora = await json(
        `${second.url}/api/v1/metrics/dora?app=crash&from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z`,
      );
      expect(dora.environments[0].deployments).toBe(PIPELINES);
      if (kind === 'postgres') {
        const [row] = await store.db.query<{ n: number; distinct: number }>(
          'select count(*)::int as n, count(distinct id)::int as distinct from events',
        );
        expect(row).toEqual({ n: PIPELINES * 6, distinct: PIPELINES * 6 });
      }
    } finally {
      await second.stop();
    }
  }, 90_000);
});
