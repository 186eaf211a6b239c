import { once } from 'node:events';
import { type Server, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type CliRun, gitops } from '../test/run.js';

interface Request {
  url: string;
  authorization: string | undefined;
  res: ServerResponse;
}

/** A stand-in for the builder's log route: every request waits for the test to answer it. */
async function fakeBuilder() {
  const requests: Request[] = [];
  const waiting: ((request: Request) => void)[] = [];
  const server: Server = createServer((req, res) => {
    const request = { url: req.url ?? '', authorization: req.headers.authorization, res };
    const taker = waiting.shift();
    if (taker) taker(request);
    else requests.push(request);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const next = () =>
    new Promise<Request>((resolve) => {
      const queued = requests.shift();
      if (queued) resolve(queued);
      else waiting.push(resolve);
    });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, next, close: () => new Promise((resolve) => server.close(resolve)) };
}

describe('gitops logs', () => {
  let builder: Awaited<ReturnType<typeof fakeBuilder>>;
  afterEach(() => builder?.close());

  it('prints the build log and exits 0', async () => {
    builder = await fakeBuilder();
    const run = gitops(['logs', 'hello-0123', '--builder-url', builder.url]);
    const request = await builder.next();
    expect(request.url).toBe('/api/v1/builds/hello-0123/log');
    request.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('==> step test\nok\n');
    expect(await run).toEqual({ code: 0, stdout: '==> step test\nok\n', stderr: '' });
  });

  it('with -f, prints each part of the log as it arrives and exits 0 when the build ends', async () => {
    builder = await fakeBuilder();
    const printed: string[] = [];
    let done: CliRun | undefined;
    const run = gitops(['logs', 'hello-0123', '-f'], {
      env: { GITOPS_BUILDER_URL: builder.url },
      onStdout: (text) => printed.push(text),
    }).then((result) => {
      done = result;
      return result;
    });
    const request = await builder.next();
    expect(request.url).toBe('/api/v1/builds/hello-0123/log?follow=1');
    request.res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' });
    request.res.write('== pipeline hello-0123\n');
    await expect.poll(() => printed.join('')).toBe('== pipeline hello-0123\n');
    request.res.write('==> step test\n');
    await expect.poll(() => printed.join('')).toBe('== pipeline hello-0123\n==> step test\n');
    expect(done).toBeUndefined();
    request.res.end('ok\n');
    expect(await run).toEqual({ code: 0, stdout: '== pipeline hello-0123\n==> step test\nok\n', stderr: '' });
  });

  it('says in one line that the pipeline has no build log, and exits 1', async () => {
    builder = await fakeBuilder();
    const run = gitops(['logs', 'nope', '--builder-url', builder.url]);
    const { res } = await builder.next();
    res.writeHead(404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ code: 'GITOPS_BUILD_LOG_NOT_FOUND', message: 'no build log for pipeline nope' }),
    );
    expect(await run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops logs: no build log for pipeline nope\n',
    });
  });

  it("reports the builder's message for another error status, and exits 1", async () => {
    builder = await fakeBuilder();
    const run = gitops(['logs', 'hello-0123', '--builder-url', builder.url]);
    const { res } = await builder.next();
    res.writeHead(503, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ code: 'GITOPS_X', message: 'shutting down' }));
    expect(await run).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops logs: the builder answered 503: shutting down\n',
    });
  });

  it('sends --token, else GITOPS_TOKEN, else GITOPS_API_TOKEN, as a bearer token', async () => {
    builder = await fakeBuilder();
    const withFlag = gitops(['logs', 'hello-0123', '--builder-url', builder.url, '--token', 'flag-token'], {
      env: { GITOPS_API_TOKEN: 'env-token' },
    });
    const first = await builder.next();
    expect(first.authorization).toBe('Bearer flag-token');
    first.res.end('ok\n');
    await withFlag;
    const fromGitopsToken = gitops(['logs', 'hello-0123', '--builder-url', builder.url], {
      env: { GITOPS_TOKEN: 'gitops-token', GITOPS_API_TOKEN: 'env-token' },
    });
    const preferred = await builder.next();
    expect(preferred.authorization).toBe('Bearer gitops-token');
    preferred.res.end('ok\n');
    await fromGitopsToken;
    const fromEnv = gitops(['logs', 'hello-0123', '--builder-url', builder.url], {
      env: { GITOPS_API_TOKEN: 'env-token' },
    });
    const second = await builder.next();
    expect(second.authorization).toBe('Bearer env-token');
    second.res.end('ok\n');
    expect((await fromEnv).code).toBe(0);
  });

  it('says how to give a token when the builder answers 401, and exits 1', async () => {
    builder = await fakeBuilder();
    const run = gitops(['logs', 'hello-0123', '--builder-url', builder.url]);
    const request = await builder.next();
    expect(request.authorization).toBeUndefined();
    request.res.writeHead(401, { 'content-type': 'application/json' });
    request.res.end(JSON.stringify({ code: 'GITOPS_API_UNAUTHORIZED', message: 'this API needs a token' }));
    expect(await run).toEqual({
      code: 1,
      stdout: '',
      stderr:
        'gitops logs: the builder answered 401: this API needs a token (give a token with --token or GITOPS_TOKEN)\n',
    });
  });

  it('says in one line that the builder cannot be reached, and exits 1', async () => {
    builder = await fakeBuilder();
    await builder.close();
    const run = await gitops(['logs', 'hello-0123', '--builder-url', builder.url]);
    expect(run).toEqual({
      code: 1,
      stdout: '',
      stderr: `gitops logs: cannot reach the builder at ${builder.url}: ECONNREFUSED\n`,
    });
  });
});
