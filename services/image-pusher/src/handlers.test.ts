import type { GitopsEvent } from '@gitops/contracts';
import { AppError, classify } from '@gitops/errors';
import { testJobContext } from '@gitops/fixtures';
import type { LeaseHolder } from '@gitops/fs';
import { TEST_SHA as SHA, buildSucceeded, testApplication } from '@gitops/testing';
import { describe, expect, it, vi } from 'vitest';
import { registryOutage } from './errors.js';
import { type PusherDeps, pusherExhausted, pusherHandlers } from './handlers.js';
import type { ImageRegistry, PushPlan } from './ports.js';

const DIGEST = `sha256:${'e'.repeat(64)}`;
const ctx = testJobContext();

function fakeDeps(overrides: Partial<PusherDeps> = {}) {
  const plans: PushPlan[] = [];
  const registry: ImageRegistry = {
    push: vi.fn(async (plan: PushPlan) => {
      plans.push(plan);
      return {
        subject: { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: plan.digest, size: 500 },
        tags: [...plan.tags.strict, ...plan.tags.firstWins],
        bytesUploaded: 100,
        bytesSkipped: 20,
      };
    }),
    attach: vi.fn(async () => ({ tag: `sha256-${'e'.repeat(64)}.att`, digest: `sha256:${'f'.repeat(64)}` })),
    tags: vi.fn(async () => []),
    tagDigest: vi.fn(async () => undefined),
    attachments: vi.fn(async () => []),
  };
  const numbers = new Map<string, number>();
  // The entries each lease not yet released holds.
  const held = new Set<readonly string[]>();
  const leases: LeaseHolder = {
    hold: async (entries) => {
      held.add(entries);
      return { entries, release: async () => void held.delete(entries) };
    },
  };
  const deps: PusherDeps = {
    apps: new Map([['hello', testApplication('hello')]]),
    dataDir: '/data',
    registry,
    buildNumbers: {
      allocate: async ({ pipelineId }) =>
        numbers.get(pipelineId) ?? numbers.set(pipelineId, numbers.size + 1).get(pipelineId)!,
    },
    builderId: 'https://builder.test',
    now: () => 1000,
    leases,
    ...overrides,
  };
  return { deps, plans, registry, held };
}

describe('the build.succeeded handler', () => {
  it('pushes the layout, attaches provenance and answers image.pushed', async () => {
    const { deps, plans, registry } = fakeDeps();
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'layouts/p1' });
    const [pushed] = await pusherHandlers(deps)['build.succeeded']!(event, ctx);
    expect(plans[0]?.layoutDir).toBe('/data/layouts/p1');
    expect(registry.attach).toHaveBeenCalledWith(
      '127.0.0.1:5000/acme/hello',
      expect.objectContaining({ digest: DIGEST }),
      expect.objectContaining({ mediaType: 'application/vnd.in-toto+json' }),
    );
    expect(pushed?.id).toBe(`${event.data.pipelineId}.image.pushed`);
    expect(pushed?.data).toMatchObject({
      repository: '127.0.0.1:5000/acme/hello',
      digest: DIGEST,
      tags: ['main-0123456-1', `sha-${SHA}`],
      bytesUploaded: 100,
      bytesSkipped: 20,
      buildNumber: 1,
      provenance: { tag: `sha256-${'e'.repeat(64)}.att`, signed: false },
    });
  });

  it('answers the same event with the same tags and build number when run again', async () => {
    const { deps } = fakeDeps();
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    const handler = pusherHandlers(deps)['build.succeeded']!;
    const [first] = await handler(event, ctx);
    await handler(buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' }), ctx);
    const [again] = await handler(event, ctx);
    expect(again?.data).toEqual(first?.data);
  });

  it('signs the provenance when a signer is configured', async () => {
    const { deps, registry } = fakeDeps({ signer: { keyid: 'k', sign: () => Buffer.from('sig') } });
    const [pushed] = await pusherHandlers(deps)['build.succeeded']!(
      buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' }),
      ctx,
    );
    expect(registry.attach).toHaveBeenCalledWith(
      expect.anything(),
      expect.anything(),
      expect.objectContaining({ mediaType: 'application/vnd.dsse.envelope.v1+json' }),
    );
    expect(pushed?.data).toMatchObject({ provenance: { signed: true } });
  });

  it('holds the layout in use while it pushes it, and lets it go after', async () => {
    const { deps, registry, held } = fakeDeps();
    const heldDuringPush: (readonly string[])[] = [];
    vi.mocked(registry.push).mockImplementationOnce(async (plan) => {
      heldDuringPush.push(...held);
      throw new Error(`registry away while pushing ${plan.layoutDir}`);
    });
    const handler = pusherHandlers(deps)['build.succeeded']!;
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'images/hello/p1' });
    await expect(handler(event, ctx)).rejects.toThrow('registry away');
    expect(heldDuringPush).toEqual([['images/hello/p1']]);
    expect(held.size).toBe(0);
    await handler(event, ctx);
    expect(held.size).toBe(0);
  });

  it('refuses a build of an application the file does not name, without retrying', async () => {
    const { deps, registry } = fakeDeps();
    const handler = pusherHandlers(deps)['build.succeeded']!;
    await expect(
      handler(buildSucceeded({ app: 'ghost', digest: DIGEST, layout: 'l' }), ctx),
    ).rejects.toMatchObject({
      code: 'GITOPS_IMAGE_UNKNOWN_APP',
      retryable: false,
    });
    expect(registry.push).not.toHaveBeenCalled();
  });

  it('answers image.failed with the repository and the error once the push gives up', () => {
    const { deps } = fakeDeps({ now: () => Date.parse('2026-11-27T05:00:02.000Z') });
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    const err = new AppError(
      'GITOPS_REGISTRY_TAG_CONFLICT',
      'tag 127.0.0.1:5000/acme/hello:1.0.0 already points at x',
    );
    const [failed] = pusherExhausted(deps)({ name: 'build.succeeded', event }, err);
    expect(failed?.data).toMatchObject({
      repository: '127.0.0.1:5000/acme/hello',
      durationMs: 2000,
      error: {
        message: 'GITOPS_REGISTRY_TAG_CONFLICT: tag 127.0.0.1:5000/acme/hello:1.0.0 already points at x',
      },
    });
  });

  it('asks for the build number of the pipeline, the application’s repository, the image, branch and commit', async () => {
    const allocate = vi.fn(async () => 7);
    const { deps } = fakeDeps({ buildNumbers: { allocate } });
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    const [pushed] = await pusherHandlers(deps)['build.succeeded']!(event, ctx);
    expect(allocate).toHaveBeenCalledWith({
      app: 'hello',
      pipelineId: event.data.pipelineId,
      repository: '127.0.0.1:5000/acme/hello',
      digest: DIGEST,
      branch: 'main',
      commit: SHA,
    });
    expect(pushed?.data).toMatchObject({ buildNumber: 7, tags: ['main-0123456-7', `sha-${SHA}`] });
  });

  it('says in image.failed that the registry outage outlasted the retry budget, and does not retry it', () => {
    const { deps } = fakeDeps();
    const event = buildSucceeded({ app: 'hello', digest: DIGEST, layout: 'l' });
    const unavailable = new AppError(
      'GITOPS_REGISTRY_UNAVAILABLE',
      'PUT blob sha256:ab (acme/hello): connect ECONNREFUSED (retry budget of 3s spent: 9 tries in 3s)',
      { retryable: true },
    );
    const outage = registryOutage(unavailable);
    expect(classify(outage)).toBe('drop');
    const [failed] = pusherExhausted(deps)({ name: 'build.succeeded', event }, outage);
    expect((failed as GitopsEvent<'image.failed'>).data.error.message).toBe(
      'GITOPS_IMAGE_REGISTRY_OUTAGE: the registry stayed unavailable for the whole REGISTRY_RETRY_BUDGET; giving up: GITOPS_REGISTRY_UNAVAILABLE: PUT blob sha256:ab (acme/hello): connect ECONNREFUSED (retry budget of 3s spent: 9 tries in 3s)',
    );
  });
});
