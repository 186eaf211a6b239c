import { randomBytes, randomUUID } from 'node:crypto';
import { parseApplications } from '@gitops/config';
import type { BusFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubBranchPush, githubExamples, githubHeaders, sign } from '../test/github-example.js';
import { type TestReceiver, startTestReceiver } from '../test/receiver.js';

const SECRET = 's3cret';
const app = (name: string, repo: string, extra = '') => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: '${repo}', branches: [master, 'release/*'] }
  ${extra}
  image: { repository: 127.0.0.1:5000/acme/${name} }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: ${name} }
`;
const apps = parseApplications(
  [
    app('hello', 'https://github.com/Codertocat/Hello-World.git', 'webhook: { secretEnv: HELLO_SECRET }'),
    app('locked', 'https://github.com/acme/locked', 'webhook: { secretEnv: LOCKED_SECRET }'),
    app('mirror', 'https://github.com/acme/mirror', 'webhook: { secretEnv: HELLO_SECRET }'),
  ].join('---\n'),
);
const body = JSON.stringify(githubBranchPush);
const randomSha = () => randomBytes(20).toString('hex');
const headCommit = githubBranchPush.head_commit as Record<string, unknown>;

/** GitHub's documented push, moved to commits of its own, so no other test's pipeline has its id. */
function freshPush(move: { before?: string; after?: string } = {}): string {
  const after = move.after ?? randomSha();
  const before = move.before ?? randomSha();
  return JSON.stringify({ ...githubBranchPush, before, after, head_commit: { ...headCommit, id: after } });
}

describe('the webhook receiver service, storing into a real JetStream', () => {
  let fixture: BusFixture;
  let receiver: StartedService<unknown>;
  let testReceiver: TestReceiver;
  const post = (payload: string, headers: Record<string, string>, provider = 'github') =>
    receiver.http.inject({ method: 'POST', url: `/webhooks/${provider}`, payload, headers });
  const get = (url: string) => receiver.http.inject({ method: 'GET', url });

  beforeAll(async () => {
    // The receiver holds no queue: it must start and answer with no Redis at all.
    testReceiver = await startTestReceiver(apps, {
      HELLO_SECRET: SECRET,
      WEBHOOK_BODY_LIMIT: '1MiB',
      PUBLISH_TIMEOUT: '1500ms',
    });
    ({ bus: fixture, receiver } = testReceiver);
  });
  afterAll(() => testReceiver?.dispose());

  it('answers 202 to a signed push and stores exactly one source.received event', async () => {
    const delivery = randomUUID();
    const response = await post(body, githubHeaders(SECRET, body, delivery));
    expect(response.statusCode).toBe(202);
    const { pipelineId } = response.json();
    const stored = await readStream(fixture.nats.url, 'gitops.v1.hello.source.received');
    const event = stored.find((m) => m.json.subject === pipelineId);
    expect(event?.headers['Nats-Msg-Id']).toBe(`${pipelineId}.source.received`);
    expect(event?.json.data).toMatchObject({
      app: 'hello',
      provider: 'github',
      deliveryId: delivery,
      branch: 'master',
      commit: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
      headCommit: { author: { name: 'Codertocat' } },
    });
  });

  it('answers 200 duplicate to a replayed delivery and stores no second event', async () => {
    const push = freshPush();
    const delivery = randomUUID();
    const first = await post(push, githubHeaders(SECRET, push, delivery));
    const again = await post(push, githubHeaders(SECRET, push, delivery));
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ duplicate: true, pipelineId: first.json().pipelineId });
    const stored = await readStream(fixture.nats.url, 'gitops.v1.hello.source.received');
    expect(stored.filter((m) => m.json.subject === first.json().pipelineId)).toHaveLength(1);
  });

  it('answers 200 duplicate to the same body resent under a new delivery id, keeping the first', async () => {
    const push = freshPush();
    const [firstDelivery, secondDelivery] = [randomUUID(), randomUUID()];
    const first = await post(push, githubHeaders(SECRET, push, firstDelivery));
    const resent = await post(push, githubHeaders(SECRET, push, secondDelivery));
    expect(first.statusCode).toBe(202);
    expect(resent.statusCode).toBe(200);
    expect(resent.json()).toMatchObject({
      duplicate: true,
      pipelineId: first.json().pipelineId,
      deliveryId: secondDelivery,
    });
    const stored = await readStream(fixture.nats.url, 'gitops.v1.hello.source.received');
    const ofPipeline = stored.filter((m) => m.json.subject === first.json().pipelineId);
    expect(ofPipeline.map((m) => (m.json.data as { deliveryId: string }).deliveryId)).toEqual([
      firstDelivery,
    ]);
  });

  it('starts a new pipeline for the same ref and after reached from another before', async () => {
    const after = randomSha();
    const fromOne = freshPush({ after });
    const fromAnother = freshPush({ after });
    const first = await post(fromOne, githubHeaders(SECRET, fromOne, randomUUID()));
    const second = await post(fromAnother, githubHeaders(SECRET, fromAnother, randomUUID()));
    expect([first.statusCode, second.statusCode]).toEqual([202, 202]);
    expect(second.json().pipelineId).not.toBe(first.json().pipelineId);
    const stored = await readStream(fixture.nats.url, 'gitops.v1.hello.source.received');
    expect(stored.filter((m) => (m.json.data as { after: string }).after === after)).toHaveLength(2);
  });

  it('answers 400 naming both applications when the payload’s URLs name two repositories', async () => {
    const after = randomSha();
    const twoRepositories = JSON.stringify({
      ...JSON.parse(freshPush({ after })),
      repository: {
        clone_url: 'https://github.com/Codertocat/Hello-World.git',
        html_url: 'https://github.com/acme/mirror',
      },
    });
    const response = await post(twoRepositories, githubHeaders(SECRET, twoRepositories, randomUUID()));
    expect(response.statusCode).toBe(400);
    expect(response.json()).toMatchObject({ code: 'GITOPS_WEBHOOK_AMBIGUOUS_REPOSITORY' });
    expect(response.json().message).toMatch(/hello: .*Hello-World.*mirror: .*acme\/mirror/);
    const stored = await readStream(fixture.nats.url, 'gitops.v1.*.source.received');
    expect(stored.filter((m) => (m.json.data as { after: string }).after === after)).toEqual([]);
  });

  it.each([
    ['another secret', githubHeaders('not-the-secret', body, 'x')],
    ['no signature', { ...githubHeaders(SECRET, body, 'x'), 'x-hub-signature-256': '' }],
    [
      'a signature of another body',
      { ...githubHeaders(SECRET, body, 'x'), 'x-hub-signature-256': sign(SECRET, `${body} `) },
    ],
    ['a truncated signature', { ...githubHeaders(SECRET, body, 'x'), 'x-hub-signature-256': 'sha256=abc' }],
  ])('answers 401 to a push signed with %s', async (_, headers) => {
    const response = await post(body, headers);
    expect(response.statusCode).toBe(401);
    expect(response.json().code).toBe('GITOPS_WEBHOOK_BAD_SIGNATURE');
  });

  it('answers 401 for an application without any secret (fail closed), naming it', async () => {
    const locked = JSON.stringify({
      ...githubBranchPush,
      repository: { clone_url: 'https://github.com/acme/locked.git' },
    });
    const response = await post(locked, githubHeaders(SECRET, locked, randomUUID()));
    expect(response.statusCode).toBe(401);
    expect(response.json()).toMatchObject({
      code: 'GITOPS_WEBHOOK_NO_SECRET',
      message: expect.stringContaining('locked'),
    });
  });

  it('answers 400 to truncated JSON, even when correctly signed', async () => {
    const truncated = body.slice(0, body.length / 2);
    const response = await post(truncated, githubHeaders(SECRET, truncated, randomUUID()));
    expect(response.statusCode).toBe(400);
    expect(response.json().message).toBeTruthy();
  });

  it('answers 415 to a content type GitHub never sends', async () => {
    const response = await post(body, {
      ...githubHeaders(SECRET, body, randomUUID()),
      'content-type': 'text/plain',
    });
    expect(response.statusCode).toBe(415);
  });

  it('answers 413 to a body over the limit', async () => {
    const big = JSON.stringify({ ...githubBranchPush, padding: 'x'.repeat(2 * 1024 * 1024) });
    const response = await post(big, githubHeaders(SECRET, big, randomUUID()));
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toContain('1048576 bytes');
  });

  it('answers 404 to a push from a repository no application names', async () => {
    const other = JSON.stringify({
      ...githubBranchPush,
      repository: { clone_url: 'https://github.com/acme/unknown.git' },
    });
    const response = await post(other, githubHeaders(SECRET, other, randomUUID()));
    expect(response.statusCode).toBe(404);
    expect(response.json().code).toBe('GITOPS_WEBHOOK_UNKNOWN_REPOSITORY');
  });

  it('answers 200 ignored to a branch outside the application’s globs', async () => {
    const feature = JSON.stringify({ ...githubBranchPush, ref: 'refs/heads/feature/x' });
    const response = await post(feature, githubHeaders(SECRET, feature, randomUUID()));
    expect(response.statusCode).toBe(200);
    expect(response.json().ignored).toMatch(/feature\/x matches none of master, release\/\*/);
  });

  it('answers 200 ignored to a ping', async () => {
    const ping = JSON.stringify(githubExamples('ping')[0]);
    const response = await post(ping, githubHeaders(SECRET, ping, randomUUID(), 'ping'));
    expect(response.statusCode).toBe(200);
    expect(response.json().ignored).toBeTruthy();
  });

  it('answers 404 on an unknown provider route', async () => {
    expect((await post(body, githubHeaders(SECRET, body, 'x'), 'svn')).statusCode).toBe(404);
  });

  it('answers 503 while NATS is down, then stores again once it is back, without a restart', async () => {
    await fixture.nats.stop();
    const push = freshPush();
    const delivery = randomUUID();
    const down = await post(push, githubHeaders(SECRET, push, delivery));
    expect(down.statusCode).toBe(503);
    expect(down.headers['retry-after']).toBe('5');
    expect((await get('/readyz')).statusCode).toBe(503);
    await fixture.nats.restart();
    await expect
      .poll(async () => (await get('/readyz')).statusCode, {
        timeout: 15_000,
      })
      .toBe(200);
    const retried = await post(push, githubHeaders(SECRET, push, delivery));
    expect(retried.statusCode).toBe(202);
  });

  it('serves /healthz and Prometheus /metrics with delivery counts', async () => {
    expect((await get('/healthz')).json()).toEqual({ status: 'ok' });
    const metrics = await get('/metrics');
    expect(metrics.body).toMatch(/gitops_webhook_deliveries_total\{provider="github",code="202"/);
  });
});
