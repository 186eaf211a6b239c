import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { testJobContext } from '@gitops/fixtures';
import { leasedEntries } from '@gitops/fs';
import { sourceReceived, testApplication } from '@gitops/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { BuildOutcome } from './build.js';
import { DataDir } from './data-dir.js';
import { BuildFailure } from './errors.js';
import { type HandlerDeps, createBuildHandler } from './handlers.js';
import { ResultStore } from './results.js';
import { Redactor } from './steps/redact.js';

let dataDir: DataDir;
const ctx = testJobContext();

function handlerDeps(build: HandlerDeps['build']): HandlerDeps {
  return {
    apps: new Map([['demo', testApplication('demo', { repoURL: 'http://git.test/acme/demo.git' })]]),
    dataDir,
    results: new ResultStore(dataDir),
    supersede: { claim: async () => ({ signal: new AbortController().signal, release: () => undefined }) },
    build,
    buildTimeoutMs: 60_000,
    logMaxBytes: 1_000_000,
    redactor: new Redactor([]),
  };
}

const redBuild: BuildOutcome = {
  durationMs: 1,
  steps: [],
  reports: {},
  failure: new BuildFailure('step test failed with exit code 1', 'step-failed', 'test'),
};

beforeEach(async () => {
  dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-handler-')));
});
afterEach(() => rm(dataDir.root, { recursive: true, force: true }));

describe('the source.received handler', () => {
  it("holds the pipeline's workspace, layout, log and mirror in use while it builds, and lets them go after", async () => {
    const event = sourceReceived('demo', { pipelineId: 'p1' });
    let heldDuringBuild: (string | undefined)[] = [];
    const handler = createBuildHandler(
      handlerDeps(async () => {
        heldDuringBuild = await leasedEntries(dataDir.root);
        return redBuild;
      }),
    );
    const [result] = await handler(event, ctx);
    expect(result?.type).toBe('dev.gitops.build.failed.v1');
    expect(heldDuringBuild.sort()).toEqual([
      'images/demo/p1',
      'logs/demo/p1',
      'mirrors/git.test/acme/demo.git',
      'workspaces/p1',
    ]);
    expect(await leasedEntries(dataDir.root)).toEqual([]);
  });

  it('lets the entries go when the build fails on the infrastructure', async () => {
    const handler = createBuildHandler(
      handlerDeps(async () => {
        throw new Error('git server away');
      }),
    );
    await expect(handler(sourceReceived('demo', { pipelineId: 'p2' }), ctx)).rejects.toThrow(
      'git server away',
    );
    expect(await leasedEntries(dataDir.root)).toEqual([]);
  });

  it('ends a build that a newer push superseded while it was queued in its one build.failed, without building or build.started', async () => {
    const newer = new AbortController();
    newer.abort(new BuildFailure('superseded by pipeline p9, a newer push to main', 'superseded'));
    const job = testJobContext();
    let built = false;
    const handler = createBuildHandler({
      ...handlerDeps(async () => {
        built = true;
        return redBuild;
      }),
      supersede: { claim: async () => ({ signal: newer.signal, release: () => undefined }) },
    });
    const events = await handler(sourceReceived('demo', { pipelineId: 'p3' }), job);
    expect(events.map((event) => event.type)).toEqual(['dev.gitops.build.failed.v1']);
    expect(events[0]?.data).toMatchObject({ reason: 'superseded', steps: [], durationMs: 0 });
    expect((events[0]?.data as { error: unknown }).error).toEqual({
      message: 'superseded by pipeline p9, a newer push to main',
    });
    expect({ built, published: job.published }).toEqual({ built: false, published: [] });
    const log = await readFile(dataDir.log('demo', 'p3').path, 'utf8');
    expect(log).toContain('not built: superseded by pipeline p9, a newer push to main');
  });
});
