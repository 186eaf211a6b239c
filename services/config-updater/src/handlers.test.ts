import { testJobContext } from '@gitops/fixtures';
import { TEST_SHA, buildSucceeded, imagePushed, testApplication } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { type UpdaterDeps, updaterExhausted, updaterHandlers } from './handlers.js';
import { REPOSITORY, digestOf } from './test/config-repo.js';
import { deploySucceeded, rollbackCompleted } from './test/events.js';
import { CONFIG_COMMIT, FakeWriter, MemoryState } from './test/fakes.js';

const app = testApplication('hello', {
  imageRepository: REPOSITORY,
  environments: [
    { name: 'dev', path: 'envs/dev' },
    { name: 'staging', path: 'envs/staging', promotion: 'auto' },
    { name: 'prod', path: 'envs/prod', promotion: 'approval' },
  ],
});

function setup() {
  const writer = new FakeWriter();
  const state = new MemoryState();
  const deps: UpdaterDeps = {
    apps: new Map([[app.name, app]]),
    writer,
    state,
    now: () => new Date('2026-12-02T08:00:00Z'),
  };
  return { writer, state, deps, handlers: updaterHandlers(deps) };
}
const deployed = (environment: string, extra: Partial<Parameters<typeof deploySucceeded>[0]> = {}) =>
  deploySucceeded({
    app: 'hello',
    pipelineId: 'hello-p1',
    environment,
    configCommit: CONFIG_COMMIT,
    ...extra,
  });

describe('the config updater’s handlers', () => {
  it('pins image.pushed in the first environment with the version tag', async () => {
    const { writer, handlers } = setup();
    const event = imagePushed(buildSucceeded({ app: 'hello', digest: digestOf(1), layout: 'x' }), REPOSITORY);
    const [updated] = await handlers['image.pushed']!(event, testJobContext());
    expect(writer.bumps[0]).toMatchObject({
      environment: { name: 'dev' },
      pin: { digest: digestOf(1), tag: 'main-0123456-1' },
    });
    expect(updated).toMatchObject({
      id: `${event.data.pipelineId}.config.updated.dev`,
      data: { configCommit: CONFIG_COMMIT },
    });
  });

  it('promotes nothing from an unhealthy environment, or from the last one', async () => {
    const { writer, handlers } = setup();
    const image = `${REPOSITORY}@${digestOf(2)}`;
    expect(
      await handlers['deploy.succeeded']!(deployed('dev', { image, health: 'Degraded' }), testJobContext()),
    ).toEqual([]);
    expect(await handlers['deploy.succeeded']!(deployed('prod', { image }), testJobContext())).toEqual([]);
    expect(writer.bumps).toEqual([]);
  });

  it('promotes automatically the digest read from the deployed config commit when the event names none', async () => {
    const { writer, handlers } = setup();
    writer.pinned.set('dev', { digest: digestOf(3), tag: 'main-abc1234-3' });
    const [updated] = await handlers['deploy.succeeded']!(deployed('dev', { commit: '' }), testJobContext());
    expect(writer.bumps[0]).toMatchObject({
      environment: { name: 'staging' },
      pin: { digest: digestOf(3), tag: 'main-abc1234-3' },
      promotedFrom: 'dev',
      commit: TEST_SHA,
    });
    expect(updated).toMatchObject({ id: 'hello-p1.config.updated.staging', data: { promotedFrom: 'dev' } });
  });

  it('keeps the version tag the deployed config commit pins with the event’s digest', async () => {
    const { writer, state, handlers } = setup();
    writer.pinned.set('dev', { digest: digestOf(6), tag: 'main-abc1234-6' });
    writer.pinned.set('staging', { digest: digestOf(6), tag: 'main-abc1234-6' });
    const image = `${REPOSITORY}@${digestOf(6)}`;
    await handlers['deploy.succeeded']!(deployed('dev', { image }), testJobContext());
    expect(writer.bumps[0]).toMatchObject({
      environment: { name: 'staging' },
      pin: { digest: digestOf(6), tag: 'main-abc1234-6' },
    });
    await handlers['deploy.succeeded']!(deployed('staging', { image }), testJobContext());
    expect(await state.waiting('hello', 'prod')).toMatchObject({ image, tag: 'main-abc1234-6' });

    writer.pinned.set('dev', { digest: digestOf(9), tag: 'main-def5678-9' });
    await handlers['deploy.succeeded']!(deployed('dev', { image }), testJobContext());
    expect(writer.bumps[1]!.pin).toEqual({ repository: REPOSITORY, digest: digestOf(6) });
  });

  it('records an approval promotion as waiting and asks for it', async () => {
    const { writer, state, handlers } = setup();
    const image = `${REPOSITORY}@${digestOf(4)}`;
    const [requested] = await handlers['deploy.succeeded']!(deployed('staging', { image }), testJobContext());
    expect(writer.bumps).toEqual([]);
    expect(requested).toMatchObject({
      id: 'hello-p1.promotion.requested.prod',
      data: { from: 'staging', to: 'prod', image },
    });
    expect(await state.waiting('hello', 'prod')).toMatchObject({
      image,
      pipelineId: 'hello-p1',
      requestedAt: '2026-12-02T08:00:00.000Z',
    });
  });

  it('quarantines a rolled-back image and refuses it afterwards', async () => {
    const { writer, state, handlers, deps } = setup();
    const image = `${REPOSITORY}@${digestOf(5)}`;
    await handlers['rollback.completed']!(
      rollbackCompleted({
        app: 'hello',
        pipelineId: 'hello-rb',
        environment: 'dev',
        image,
        configCommit: CONFIG_COMMIT,
      }),
      testJobContext(),
    );
    expect(await state.quarantined(digestOf(5))).toMatchObject({ image, by: 'reconciler' });
    const [rejected] = await handlers['deploy.succeeded']!(deployed('dev', { image }), testJobContext());
    expect(rejected?.type).toBe('dev.gitops.promotion.rejected.v1');
    const pushed = imagePushed(
      buildSucceeded({ app: 'hello', digest: digestOf(5), layout: 'x' }),
      REPOSITORY,
    );
    const err = await handlers['image.pushed']!(pushed, testJobContext()).catch((e) => e);
    expect(err).toMatchObject({ code: 'GITOPS_CONFIG_QUARANTINED' });
    expect(writer.bumps).toEqual([]);
    const [failed] = updaterExhausted(deps)({ name: 'image.pushed', event: pushed }, err);
    expect(failed).toMatchObject({
      type: 'dev.gitops.config.failed.v1',
      data: { environment: 'dev', error: { message: expect.stringMatching(/quarantined/) } },
    });
  });

  it('answers config.failed for the next environment when an automatic promotion runs out of attempts', async () => {
    const { deps } = setup();
    const image = `${REPOSITORY}@${digestOf(6)}`;
    const event = deployed('dev', { image });
    const [failed] = updaterExhausted(deps)({ name: 'deploy.succeeded', event }, new Error('push refused'));
    expect(failed).toMatchObject({
      id: 'hello-p1.config.failed.staging',
      data: { environment: 'staging', image },
    });
    expect(
      updaterExhausted(deps)(
        { name: 'deploy.succeeded', event: deployed('staging', { image }) },
        new Error('x'),
      ),
    ).toEqual([]);
  });

  it('quarantines nothing for a rollback that names no digest', async () => {
    const { state, handlers } = setup();
    const event = rollbackCompleted({
      app: 'hello',
      pipelineId: 'hello-rb',
      environment: 'dev',
      image: `${REPOSITORY}:v1`,
      configCommit: CONFIG_COMMIT,
    });
    expect(await handlers['rollback.completed']!(event, testJobContext())).toEqual([]);
    expect(await state.quarantineList()).toEqual([]);
  });
});
