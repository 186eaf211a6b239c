import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { testJobContext } from '@gitops/fixtures';
import { buildFailed, sourceReceived, testApplication } from '@gitops/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { BuildOutcome } from './build.js';
import { DataDir } from './data-dir.js';
import { BuildFailure } from './errors.js';
import { createBuildHandler } from './handlers.js';
import { ResultStore } from './results.js';
import { type BuildLogRouteDeps, registerBuildLogRoutes } from './routes.js';
import { BuildLog } from './steps/build-log.js';
import { Redactor } from './steps/redact.js';

const POLL_MS = 20;

/** Reads a response body until its text contains `expected`, and returns all read so far. */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, seen: string, expected: string) {
  let text = seen;
  const decoder = new TextDecoder();
  while (!text.includes(expected)) {
    const { value, done } = await reader.read();
    if (done) throw new Error(`the body ended before "${expected}"; got ${JSON.stringify(text)}`);
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe('following a build log over HTTP', () => {
  let dataDir: DataDir;
  let results: ResultStore;
  let server: FastifyInstance | undefined;

  beforeAll(async () => {
    dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-follow-')));
    results = new ResultStore(dataDir);
  });
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  /** A running build: its log is open, its result not yet recorded. */
  const startBuild = async () => {
    const source = sourceReceived('hello');
    const log = await BuildLog.open(dataDir.log('hello', source.data.pipelineId).path, {
      maxBytes: 1024 * 1024,
      redactor: new Redactor(['s3cret']),
    });
    const end = async () => {
      await log.close();
      await results.write('hello', source.data.pipelineId, [buildFailed(source, 'tests failed')]);
    };
    return { pipelineId: source.data.pipelineId, log, end };
  };

  const listen = async (overrides: Partial<BuildLogRouteDeps> = {}) => {
    // fetch opens a spare connection after an aborted response; close() must not wait for it.
    server = Fastify({ forceCloseConnections: true });
    registerBuildLogRoutes(server, {
      findLog: (pipelineId) => dataDir.findLog(pipelineId, ['hello']),
      buildEnded: (pipelineId) => results.isRecorded(pipelineId, ['hello']),
      followTimeoutMs: 60_000,
      followPollMs: POLL_MS,
      ...overrides,
    });
    return server.listen({ port: 0, host: '127.0.0.1' });
  };

  it('streams the log as it grows and ends when the build ends', async () => {
    const build = await startBuild();
    build.log.line('== pipeline started');
    const base = await listen();
    const res = await fetch(`${base}/api/v1/builds/${build.pipelineId}/log?follow=1`);
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let text = await readUntil(reader, '', '== pipeline started\n');
    build.log.line('==> step test: npm test with s3cret');
    text = await readUntil(reader, text, 'with [redacted]\n');
    build.log.line('last line before the end');
    await build.end();
    const rest = await new Response(new ReadableStream({ pull: (c) => pipeInto(reader, c) })).text();
    expect(text + rest).toBe(
      '== pipeline started\n==> step test: npm test with [redacted]\nlast line before the end\n',
    );
  });

  it("ends with the last line of the handler's build once the handler records the result", async () => {
    const source = sourceReceived('hello');
    let finish = () => {};
    const handler = createBuildHandler({
      apps: new Map([['hello', testApplication('hello')]]),
      dataDir,
      results,
      supersede: { claim: async () => ({ signal: new AbortController().signal, release: () => undefined }) },
      build: async ({ log }): Promise<BuildOutcome> => {
        log.line('==> step test: npm test');
        await new Promise<void>((resolve) => {
          finish = resolve;
        });
        log.line('the last line of the build');
        const failure = new BuildFailure('step test failed with exit code 1', 'step-failed', 'test');
        return { durationMs: 1, steps: [], reports: {}, failure };
      },
      buildTimeoutMs: 60_000,
      logMaxBytes: 1_000_000,
      redactor: new Redactor([]),
    });
    const ctx = testJobContext();
    const building = handler(source, ctx);
    const base = await listen();
    const url = `${base}/api/v1/builds/${source.data.pipelineId}/log?follow=1`;
    await expect.poll(() => dataDir.findLog(source.data.pipelineId, ['hello'])).toBeDefined();
    const res = await fetch(url);
    const reader = res.body!.getReader();
    const seen = await readUntil(reader, '', '==> step test: npm test\n');
    finish();
    await building;
    const rest = await new Response(new ReadableStream({ pull: (c) => pipeInto(reader, c) })).text();
    const written = await readFile(dataDir.log('hello', source.data.pipelineId).path, 'utf8');
    expect(seen + rest).toBe(written);
    expect(written).toContain('the last line of the build\n');
  });

  it('stops tailing when the client disconnects', async () => {
    const build = await startBuild();
    build.log.line('== pipeline started');
    let checks = 0;
    const base = await listen({
      buildEnded: async () => {
        checks++;
        return false;
      },
    });
    const client = new AbortController();
    const res = await fetch(`${base}/api/v1/builds/${build.pipelineId}/log?follow=1`, {
      signal: client.signal,
    });
    await readUntil(res.body!.getReader(), '', 'started\n');
    client.abort();
    await sleep(POLL_MS * 5);
    const afterDisconnect = checks;
    await sleep(POLL_MS * 10);
    expect(checks).toBe(afterDisconnect);
    await build.end();
  });

  it('stops following at the build timeout with a line that says so', async () => {
    const build = await startBuild();
    build.log.line('== pipeline started');
    const base = await listen({ followTimeoutMs: 300 });
    const started = Date.now();
    const body = await (await fetch(`${base}/api/v1/builds/${build.pipelineId}/log?follow=1`)).text();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(body).toBe('== pipeline started\n\n[stopped following after 300 ms: the build has not ended]\n');
    await build.end();
  });
});

async function pipeInto(
  reader: ReadableStreamDefaultReader<Uint8Array>,
  into: ReadableStreamDefaultController,
) {
  const { value, done } = await reader.read();
  if (done) into.close();
  else into.enqueue(value);
}
