import { once } from 'node:events';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { gitops } from '../test/run.js';

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

/** A stand-in for the config updater's API: answers each request with `answer(request)`. */
async function fakeUpdater(answer: (seen: Seen) => { status: number; body: unknown }) {
  const seen: Seen[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const request = {
      method: req.method ?? '',
      url: req.url ?? '',
      authorization: req.headers.authorization,
      body,
    };
    seen.push(request);
    const { status, body: reply } = answer(request);
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(reply));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((resolve) => server.close(resolve)) };
}

const DIGEST = `sha256:${'ab'.repeat(32)}`;

describe('gitops promote and gitops envs', () => {
  let updater: Awaited<ReturnType<typeof fakeUpdater>>;
  afterEach(() => updater?.close());

  it('promote approves with the token of GITOPS_TOKEN and prints the config commit', async () => {
    updater = await fakeUpdater(() => ({
      status: 200,
      body: {
        environment: 'prod',
        image: `r@${DIGEST}`,
        from: 'staging',
        by: 'alice',
        configCommit: 'c'.repeat(40),
      },
    }));
    const run = await gitops(['promote', 'hello', '--to', 'prod', '--reason', 'release 3'], {
      env: { GITOPS_CONFIG_UPDATER_URL: updater.url, GITOPS_TOKEN: 'alice-token-0123456789' },
    });
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toContain(`promoted r@${DIGEST} from staging to prod (approved by alice)`);
    expect(updater.seen).toEqual([
      {
        method: 'POST',
        url: '/api/v1/apps/hello/promotions',
        authorization: 'Bearer alice-token-0123456789',
        body: JSON.stringify({ to: 'prod', reason: 'release 3' }),
      },
    ]);
  });

  it('promote exits 1 with the service’s message when nothing waits, and hints at a missing token', async () => {
    updater = await fakeUpdater(({ authorization }) =>
      authorization
        ? { status: 409, body: { message: 'nothing waits for promotion to hello/prod' } }
        : { status: 401, body: { message: 'this API needs an Authorization: Bearer <token> header' } },
    );
    const env = { GITOPS_CONFIG_UPDATER_URL: updater.url };
    const nothing = await gitops(['promote', 'hello', '--to', 'prod', '--token', 'alice-token-0123456789'], {
      env,
    });
    expect(nothing.code).toBe(1);
    expect(nothing.stderr).toContain(
      'the config updater answered 409: nothing waits for promotion to hello/prod',
    );
    const anonymous = await gitops(['promote', 'hello', '--to', 'prod'], { env });
    expect(anonymous.stderr).toMatch(/401: .*\(give a token with --token or GITOPS_TOKEN\)/);
    expect((await gitops(['promote', 'hello'], { env })).code).toBe(2);
  });

  it('envs prints a line per environment, or the JSON with -o json', async () => {
    const environments = [
      {
        name: 'dev',
        branch: 'main',
        path: 'envs/dev',
        promotion: 'none',
        digest: DIGEST,
        configCommit: 'a'.repeat(40),
        waiting: null,
      },
      {
        name: 'prod',
        branch: 'main',
        path: 'envs/prod',
        promotion: 'approval',
        digest: null,
        configCommit: 'a'.repeat(40),
        waiting: { from: 'dev', image: `r@${DIGEST}`, requestedAt: '2026-12-02T08:00:00Z' },
      },
    ];
    updater = await fakeUpdater(() => ({ status: 200, body: { app: 'hello', environments } }));
    const run = await gitops(['envs', 'hello', '--updater-url', updater.url]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')).toEqual([
      'ENVIRONMENT  PROMOTION  DIGEST               CONFIG COMMIT  WAITING',
      `dev          none       ${DIGEST.slice(0, 19)}  aaaaaaaaaaaa   -`,
      `prod         approval   -                    aaaaaaaaaaaa   ${DIGEST.slice(0, 19)} from dev`,
      '',
    ]);
    const json = await gitops(['envs', 'hello', '-o', 'json', '--updater-url', updater.url]);
    expect(JSON.parse(json.stdout)).toEqual({ app: 'hello', environments });
    expect(updater.seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/v1/apps/hello/environments' });
  });
});
