import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  type GitServer,
  type RedisServer,
  sourceReceived,
  startGitServer,
  startRedisServer,
  testApplication,
} from '@gitops/testing';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { processesWith, uniqueSleep } from './test/pids.js';
import { type SourceRepo, createSourceRepo } from './test/source-repo.js';
import { type StageHarness, startStageHarness } from './test/stage-harness.js';

const SCRATCH = { Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'hello\n' };
const names = (messages: { json: Record<string, unknown> }[]) => messages.map((m) => m.json.type);

describe('the build stage, against real NATS, Redis and git servers', () => {
  let redis: RedisServer;
  let git: GitServer;
  let h: StageHarness;
  let app: string;
  let repo: SourceRepo;

  beforeAll(async () => {
    [redis, git] = await Promise.all([startRedisServer(), startGitServer()]);
  });
  afterAll(async () => {
    await Promise.all([redis?.dispose(), git?.dispose()]);
  });
  beforeEach(async () => {
    h = await startStageHarness(redis.url);
    app = `app-${randomUUID().slice(0, 8)}`;
    repo = await createSourceRepo(git, `acme/${app}`);
  });
  afterEach(() => h?.dispose());
  const pushOf = (name: string, sha: string) => sourceReceived(name, { repoURL: repo.url, commit: sha });

  it('publishes build.started, then build.succeeded with the image layout, for a pushed commit', async () => {
    await h.replica([testApplication(app, { repoURL: repo.url })]);
    const sha = await repo.push(SCRATCH);
    const source = pushOf(app, sha);
    await h.bus.bus.publish(source);
    const [started, succeeded] = await h.buildEvents(app, 2);
    const { pipelineId } = source.data;
    expect(names([started!, succeeded!])).toEqual([
      'dev.gitops.build.started.v1',
      'dev.gitops.build.succeeded.v1',
    ]);
    expect(started?.json).toMatchObject({
      id: `${pipelineId}.build.started`,
      data: {
        pipelineId,
        commit: sha,
        source: { repoURL: repo.url, ref: 'refs/heads/main', branch: 'main' },
      },
    });
    expect(succeeded?.headers['Nats-Msg-Id']).toBe(`${pipelineId}.build.succeeded`);
    const data = succeeded?.json.data as { image: { digest: string; layout: string }; logRef: string };
    expect(data).toMatchObject({
      image: { digest: expect.stringMatching(/^sha256:/), layout: `images/${app}/${pipelineId}` },
      logRef: `logs/${app}/${pipelineId}/build.log`,
    });
    const index = await readFile(join(h.dataDir.root, data.image.layout, 'index.json'), 'utf8');
    expect(index).toContain(data.image.digest);
  });

  it('publishes build.failed naming the step and its exit code when the test step fails', async () => {
    await h.replica([testApplication(app, { repoURL: repo.url })]);
    const sha = await repo.push({ ...SCRATCH, '.gitops.yaml': 'steps: [{ name: test, run: "exit 3" }]\n' });
    await h.bus.bus.publish(pushOf(app, sha));
    const [, failed] = await h.buildEvents(app, 2);
    expect(failed?.json.data).toMatchObject({
      error: { message: 'step test failed with exit code 3', step: 'test' },
      reason: 'step-failed',
      steps: expect.arrayContaining([
        expect.objectContaining({ name: 'test', status: 'failed', exitCode: 3 }),
      ]),
    });
  });

  it('republishes the recorded result with the same id for a replayed source.received, without building again', async () => {
    await h.replica([testApplication(app, { repoURL: repo.url })]);
    const source = pushOf(app, await repo.push(SCRATCH));
    await h.bus.bus.publish(source);
    const [, first] = await h.buildEvents(app, 2);
    // Past the duplicate window (200 ms here) of the source and of its result alike, JetStream stores
    // both the replay and the republished result; the finished job is no longer kept (JOB_KEEP_COMPLETED 0).
    await sleep(300);
    expect(await h.bus.bus.publish(source)).toMatchObject({ duplicate: false });
    const events = await h.buildEvents(app, 3);
    expect(names(events)).toEqual([
      'dev.gitops.build.started.v1',
      'dev.gitops.build.succeeded.v1',
      'dev.gitops.build.succeeded.v1',
    ]);
    expect(events[2]?.json).toEqual(first?.json);
    expect(await h.buildsRun(app, source.data.pipelineId)).toBe(1);
  });

  it('cancels the older build when a newer push to the branch arrives, across two replicas', async () => {
    const apps = [testApplication(app, { repoURL: repo.url })];
    await h.replica(apps);
    await h.replica(apps);
    // The step runs in a sandbox: seen from here by its command line only.
    const sleeping = `sleep ${uniqueSleep()}`;
    const slow = `steps: [{ name: test, run: "${sleeping}" }]\n`;
    const older = pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': slow }));
    await h.bus.bus.publish(older);
    await vi.waitFor(async () => expect(await processesWith(sleeping)).not.toEqual([]), {
      timeout: 20_000,
      interval: 100,
    });
    const newer = pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': 'steps: []\n' }));
    await h.bus.bus.publish(newer);
    const events = await h.buildEvents(app, 4);
    const result = (pipelineId: string) =>
      events.find((e) => e.json.subject === pipelineId && e.json.type !== 'dev.gitops.build.started.v1');
    expect(result(older.data.pipelineId)?.json.data).toMatchObject({
      reason: 'superseded',
      error: {
        step: 'test',
        message: `superseded by pipeline ${newer.data.pipelineId}, a newer push to main`,
      },
    });
    expect(result(newer.data.pipelineId)?.json.type).toBe('dev.gitops.build.succeeded.v1');
  });

  it('supersedes the builds still queued behind a slow one, without running them, and builds only the newest push', async () => {
    await h.replica([testApplication(app, { repoURL: repo.url })]); // BUILDER_CONCURRENCY 1
    // The steps run in a sandbox: seen from here by their command lines only.
    const sleeps = [1, 2, 3].map(() => `sleep ${uniqueSleep()}`);
    const slowStep = (n: number) => `steps: [{ name: test, run: "${sleeps[n - 1]}" }]\n`;
    const first = pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': slowStep(1) }));
    await h.bus.bus.publish(first);
    await vi.waitFor(async () => expect(await processesWith(sleeps[0]!)).not.toEqual([]), {
      timeout: 20_000,
      interval: 100,
    });
    // Each event is made after its push, so their receive times follow the push order.
    const queued = [pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': slowStep(2) }))];
    queued.push(pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': slowStep(3) })));
    const newest = pushOf(app, await repo.push({ ...SCRATCH, '.gitops.yaml': 'steps: []\n' }));
    for (const push of [...queued, newest]) await h.bus.bus.publish(push);

    await h.buildEvents(app, 6);
    await sleep(1500); // anything published twice would be stored twice: the duplicate window is 200 ms
    const events = await h.buildEvents(app, 6);
    const of = (push: typeof first) => events.filter((e) => e.json.subject === push.data.pipelineId);
    const terminal = (push: typeof first) =>
      of(push).filter((e) => e.json.type !== 'dev.gitops.build.started.v1');
    for (const push of [first, ...queued, newest]) expect(terminal(push)).toHaveLength(1);
    expect(terminal(first)[0]?.json.data).toMatchObject({ reason: 'superseded', error: { step: 'test' } });
    for (const push of queued) {
      expect(names(of(push))).toEqual(['dev.gitops.build.failed.v1']);
      expect(terminal(push)[0]?.json.data).toMatchObject({
        reason: 'superseded',
        steps: [],
        error: { message: `superseded by pipeline ${newest.data.pipelineId}, a newer push to main` },
      });
      const log = await readFile(h.dataDir.log(app, push.data.pipelineId).path, 'utf8');
      expect(log).not.toContain('==> ');
    }
    expect(names(of(newest))).toEqual(['dev.gitops.build.started.v1', 'dev.gitops.build.succeeded.v1']);
  });

  it('publishes build.failed for an application the builder does not know, instead of crashing', async () => {
    await h.replica([testApplication('another', { repoURL: repo.url })]);
    await h.bus.bus.publish(pushOf(app, await repo.push(SCRATCH)));
    const [, failed] = await h.buildEvents(app, 2);
    expect(failed?.json.data).toMatchObject({
      reason: 'invalid-config',
      error: { message: `no application "${app}" in the application file` },
    });
  });
});
