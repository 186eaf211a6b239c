import { ApiTokens, requireToken } from '@gitops/service';
import { TEST_SHA, testApplication } from '@gitops/testing';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerUpdaterRoutes } from './routes.js';
import { REPOSITORY, digestOf } from './test/config-repo.js';
import { CONFIG_COMMIT, FakeWriter, MemoryState } from './test/fakes.js';

const app = testApplication('hello', {
  imageRepository: REPOSITORY,
  environments: [
    { name: 'dev', path: 'envs/dev' },
    { name: 'prod', path: 'envs/prod', promotion: 'approval' },
  ],
});
const tokens = new ApiTokens([
  { name: 'alice', token: 'alice-token-0123456789' },
  { name: 'bob', token: 'bob-token-01234567890' },
]);
const image = `${REPOSITORY}@${digestOf(7)}`;

async function api() {
  const writer = new FakeWriter();
  const state = new MemoryState();
  const published: string[] = [];
  const http = Fastify();
  http.register(async (scope) => {
    scope.addHook('onRequest', requireToken(tokens));
    registerUpdaterRoutes(scope, {
      apps: new Map([[app.name, app]]),
      writer,
      state,
      publish: async (event) => {
        published.push(event.id);
      },
      approvers: new Set(['alice']),
    });
  });
  await state.wait({
    app: 'hello',
    from: 'dev',
    to: 'prod',
    image,
    tag: 'main-0123456-7',
    pipelineId: 'hello-p',
    commit: TEST_SHA,
    requestedAt: 'now',
  });
  const as = (who: string) => ({
    authorization: `Bearer ${who}-token-${who === 'bob' ? '01234567890' : '0123456789'}`,
  });
  return { http, writer, state, published, as };
}

describe('the config updater API', () => {
  it('lets only PROMOTION_APPROVERS approve (403 for other token names)', async () => {
    const { http, as, writer } = await api();
    const post = (who: string) =>
      http.inject({
        method: 'POST',
        url: '/api/v1/apps/hello/promotions',
        headers: as(who),
        payload: { to: 'prod' },
      });
    const denied = await post('bob');
    expect(denied.statusCode).toBe(403);
    expect(denied.json().message).toMatch(/bob may not approve/);
    expect(writer.bumps).toEqual([]);
    const approved = await post('alice');
    expect(approved.json()).toEqual({
      environment: 'prod',
      image,
      from: 'dev',
      by: 'alice',
      configCommit: CONFIG_COMMIT,
    });
    expect(writer.bumps[0]).toMatchObject({
      approvedBy: 'alice',
      pin: { repository: REPOSITORY, digest: digestOf(7), tag: 'main-0123456-7' },
    });
  });

  it('publishes promotion.approved and config.updated before forgetting what waited', async () => {
    const { http, as, state, published } = await api();
    await http.inject({
      method: 'POST',
      url: '/api/v1/apps/hello/promotions',
      headers: as('alice'),
      payload: { to: 'prod' },
    });
    expect(published).toEqual(['hello-p.promotion.approved.prod', 'hello-p.config.updated.prod']);
    expect(await state.waiting('hello', 'prod')).toBeUndefined();
  });

  it('answers 404 for an unknown application and 400 for a bad digest', async () => {
    const { http, as } = await api();
    expect(
      (await http.inject({ url: '/api/v1/apps/nope/environments', headers: as('bob') })).statusCode,
    ).toBe(404);
    const bad = await http.inject({
      method: 'DELETE',
      url: '/api/v1/quarantine/sha256:xyz',
      headers: as('bob'),
    });
    expect(bad.statusCode).toBe(400);
  });

  it('shows each environment with its pin and what waits for it', async () => {
    const { http, as, writer } = await api();
    writer.pinned.set('dev', { digest: digestOf(7), tag: 'main-abc1234-7' });
    const res = await http.inject({ url: '/api/v1/apps/hello/environments', headers: as('bob') });
    expect(res.json().environments).toMatchObject([
      {
        name: 'dev',
        digest: digestOf(7),
        image: `${REPOSITORY}:main-abc1234-7@${digestOf(7)}`,
        waiting: null,
      },
      { name: 'prod', promotion: 'approval', digest: null, waiting: { from: 'dev', image } },
    ]);
  });
});
