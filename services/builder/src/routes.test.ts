import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildFailed, sourceReceived } from '@gitops/testing';
import Fastify from 'fastify';
import { beforeAll, describe, expect, it } from 'vitest';
import { DataDir } from './data-dir.js';
import { ResultStore } from './results.js';
import { registerBuildLogRoutes } from './routes.js';
import { BuildLog } from './steps/build-log.js';
import { Redactor } from './steps/redact.js';

const APPS = ['other', 'hello'];
const PIPELINE = 'hello-0123456789abcdef';
const LOG = '==> step test: npm test\nok\n';

describe('the build log routes', () => {
  let dataDir: DataDir;
  let results: ResultStore;

  beforeAll(async () => {
    dataDir = new DataDir(await mkdtemp(join(tmpdir(), 'builder-routes-')));
    results = new ResultStore(dataDir);
    const log = await BuildLog.open(dataDir.log('hello', PIPELINE).path, {
      maxBytes: 1024,
      redactor: new Redactor([]),
    });
    log.line('==> step test: npm test');
    log.line('ok');
    await log.close();
  });

  const http = () => {
    const app = Fastify();
    registerBuildLogRoutes(app, {
      findLog: (pipelineId) => dataDir.findLog(pipelineId, APPS),
      buildEnded: (pipelineId) => results.isRecorded(pipelineId, APPS),
      followTimeoutMs: 60_000,
      followPollMs: 20,
    });
    return app;
  };

  it("serves a pipeline's build log as text", async () => {
    const res = await http().inject({ url: `/api/v1/builds/${PIPELINE}/log` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(res.body).toBe(LOG);
  });

  it('answers 404 for a pipeline without a log, and for a pipeline id that is a path', async () => {
    for (const id of ['hello-ffffffffffffffff', '..%2F..%2Fetc', '.']) {
      const res = await http().inject({ url: `/api/v1/builds/${id}/log?follow=1` });
      expect(res.statusCode, id).toBe(404);
    }
    const res = await http().inject({ url: '/api/v1/builds/nope/log' });
    expect(res.json()).toMatchObject({
      code: 'GITOPS_BUILD_LOG_NOT_FOUND',
      message: 'no build log for pipeline nope',
    });
  });

  it('follows the log of a finished build to its end at once', async () => {
    const source = sourceReceived('hello', { pipelineId: 'hello-00000000000000aa' });
    const log = await BuildLog.open(dataDir.log('hello', source.data.pipelineId).path, {
      maxBytes: 1024,
      redactor: new Redactor([]),
    });
    log.line('built');
    await log.close();
    await results.write('hello', source.data.pipelineId, [buildFailed(source, 'tests failed')]);
    const res = await http().inject({ url: `/api/v1/builds/${source.data.pipelineId}/log?follow=1` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    expect(res.body).toBe('built\n');
  });

  it('answers 400 for a follow value that is neither 1 nor 0', async () => {
    const res = await http().inject({ url: `/api/v1/builds/${PIPELINE}/log?follow=yes` });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'GITOPS_BUILD_LOG_FOLLOW_INVALID' });
  });

  it('serves the whole log without following for follow=0', async () => {
    const res = await http().inject({ url: `/api/v1/builds/${PIPELINE}/log?follow=0` });
    expect(res.body).toBe(LOG);
  });
});
