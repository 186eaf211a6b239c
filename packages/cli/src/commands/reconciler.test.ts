import { type IncomingMessage, type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gitops } from '../test/run.js';

// A stand-in for the reconciler's HTTP API (docs/reconciler.md), answering what the service answers.
const status = {
  name: 'shop',
  environments: [
    {
      environment: 'dev',
      sync: 'OutOfSync',
      health: 'Healthy',
      configCommit: 'a'.repeat(40),
      image: 'r/shop@sha256:1',
      drift: [{ resource: 'Deployment/shop/web', fields: ['/spec/replicas'], manager: 'kubectl-edit' }],
      resources: [{ resource: 'Deployment/shop/web', health: 'Healthy' }],
      updatedAt: '2026-01-01T00:00:00Z',
    },
  ],
};
const seen: Array<{ method: string; url: string; auth?: string; body: string }> = [];
const body = (request: IncomingMessage) =>
  new Promise<string>((resolve) => {
    let text = '';
    request.on('data', (chunk) => {
      text += chunk;
    });
    request.on('end', () => resolve(text));
  });

let server: Server;
let env: Record<string, string>;
beforeAll(async () => {
  server = createServer(async (request, response) => {
    seen.push({
      method: request.method!,
      url: request.url!,
      auth: request.headers.authorization,
      body: await body(request),
    });
    const send = (code: number, json: unknown) =>
      response.writeHead(code, { 'content-type': 'application/json' }).end(JSON.stringify(json));
    if (request.method === 'POST' && !request.headers.authorization)
      return send(401, { message: 'this API needs an Authorization: Bearer <token> header' });
    if (request.url === '/api/v1/apps') return send(200, { apps: [status] });
    if (request.url === '/api/v1/apps/shop') return send(200, status);
    if (request.url?.startsWith('/api/v1/apps/shop/diff')) {
      return send(200, {
        app: 'shop',
        environment: 'dev',
        configCommit: 'b'.repeat(40),
        cluster: { reachable: true },
        resources: [
          {
            resource: 'Deployment/shop/web',
            action: 'update',
            diff: '--- live\n+++ desired\n@@ -1,1 +1,1 @@\n-replicas: 7\n+replicas: 2\n',
          },
          { resource: 'Service/shop/web', action: 'unchanged', diff: '' },
        ],
        prune: [{ kind: 'ConfigMap', namespace: 'shop', name: 'old', willPrune: true }],
      });
    }
    if (request.url === '/api/v1/apps/shop/sync?environment=dev')
      return send(202, { app: 'shop', environment: 'dev' });
    if (request.url === '/api/v1/apps/shop/rollback')
      return send(200, { configCommit: 'c'.repeat(40), image: 'r/shop@sha256:1', environment: 'dev' });
    return send(404, { message: 'no application "nope"' });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  env = { GITOPS_RECONCILER_URL: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('the reconciler commands', () => {
  it('gitops apps prints one line per application environment', async () => {
    const run = await gitops(['apps'], { env });
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toMatch(/^APP\s+ENVIRONMENT\s+SYNC\s+HEALTH\s+CONFIG\s+MESSAGE$/);
    expect(run.stdout.split('\n')[1]).toMatch(/^shop\s+dev\s+OutOfSync\s+Healthy\s+aaaaaaaaaaaa$/);
  });

  it('gitops app <name> shows resources and who drifted them', async () => {
    const run = await gitops(['app', 'shop'], { env });
    expect(run.stdout).toContain('drift: Deployment/shop/web /spec/replicas (changed by kubectl-edit)');
    expect((await gitops(['app', 'nope'], { env })).stderr).toContain(
      'the reconciler answered 404: no application "nope"',
    );
  });

  it('gitops diff prints the unified diff of what would change and exits 1', async () => {
    const run = await gitops(['diff', 'shop'], { env });
    expect(run.code).toBe(1);
    expect(run.stdout).toContain('update Deployment/shop/web\n--- live\n+++ desired');
    expect(run.stdout).toContain('prune ConfigMap/shop/old');
    expect(run.stdout).not.toContain('Service/shop/web');
  });

  it('gitops sync sends the token and the environment; without a token it says how to give one', async () => {
    expect((await gitops(['sync', 'shop', '-e', 'dev'], { env })).stderr).toContain(
      'the reconciler answered 401: this API needs an Authorization: Bearer <token> header (give a token with --token or GITOPS_TOKEN)',
    );
    const run = await gitops(['sync', 'shop', '-e', 'dev', '--token', 'tok-0123456789abcdef'], { env });
    expect(run.code).toBe(0);
    expect(seen.at(-1)).toMatchObject({
      method: 'POST',
      url: '/api/v1/apps/shop/sync?environment=dev',
      auth: 'Bearer tok-0123456789abcdef',
    });
  });

  it('gitops rollback --to posts the commit and names the quarantined image', async () => {
    const to = 'd'.repeat(40);
    const run = await gitops(['rollback', 'shop', '--to', to], {
      env: { ...env, GITOPS_API_TOKEN: 'tok-0123456789abcdef' },
    });
    expect(run.stdout).toContain('quarantined r/shop@sha256:1');
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ to });
    expect((await gitops(['rollback', 'shop', '--to', 'abc'], { env })).code).toBe(2);
  });
});
