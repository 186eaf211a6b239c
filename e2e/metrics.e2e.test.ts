// The metrics service in the platform: a push through the real receiver, builder and pusher shows up
// as a pipeline timeline in the metrics API; a deploy (published as the reconciler would, with the
// admin user while the reconciler is not in this tree) moves the DORA numbers.
import { connectBus } from '@gitops/bus';
import { natsConnectOptions } from '@gitops/config';
import { createEvent } from '@gitops/contracts';
import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
import { git, makeCommit, readStream, testLogger } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

describe('the metrics service in the platform', () => {
  let platform: Platform;
  let metricsUrl: string;
  // biome-ignore lint/suspicious/noExplicitAny: API answers read in assertions
  const get = async (path: string): Promise<any> => (await fetch(`${metricsUrl}${path}`)).json();
  const dora = () => get('/api/v1/metrics/dora?app=hello');

  beforeAll(async () => {
    platform = await startPlatform({
      credentials: true,
      services: ['webhook-receiver', 'builder', 'image-pusher', 'metrics'],
    });
    metricsUrl = platform.service('metrics').url;
  });
  afterAll(async () => {
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  it("shows a pipeline's timeline from push to image, then DORA numbers once it deploys", async () => {
    const sha = await makeCommit(platform.work, source, 'feat: measured commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: platform.work });
    const [pushed] = await readStream(platform.natsUrl, 'gitops.v1.hello.image.pushed', {
      atLeast: 1,
      timeoutMs: 90_000,
    });
    const pipelineId = pushed!.json.subject as string;

    const pipeline = await vi.waitFor(
      async () => {
        const found = await get(`/api/v1/pipelines/${pipelineId}`);
        expect(found.stages?.map((s: { stage: string }) => s.stage)).toEqual(['source', 'build', 'image']);
        return found;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(pipeline).toMatchObject({
      app: 'hello',
      commit: sha,
      status: 'succeeded',
      digest: (pushed!.json.data as { digest: string }).digest,
    });
    for (const stage of pipeline.stages) expect(stage.durationMs).toBeGreaterThanOrEqual(0);
    expect((await get('/api/v1/pipelines?app=hello')).pipelines[0].id).toBe(pipelineId);
    expect((await dora()).environments).toEqual([]);

    const bus = await connectBus({
      ...natsConnectOptions({ NATS_URL: [platform.natsUrl] }),
      name: 'e2e',
      logger: testLogger(),
    });
    try {
      const data = {
        pipelineId,
        app: 'hello',
        commit: sha,
        environment: 'dev',
        configCommit: sha,
        trigger: 'config.updated',
      };
      await bus.publish(createEvent({ name: 'deploy.started', service: 'reconciler', data }));
      await bus.publish(
        createEvent({
          name: 'deploy.succeeded',
          service: 'reconciler',
          data: {
            ...data,
            applied: ['Deployment/hello'],
            pruned: [],
            unchanged: 0,
            health: 'Healthy',
            durationMs: 1500,
          },
        }),
      );
    } finally {
      await bus.close();
    }
    const moved = await vi.waitFor(
      async () => {
        const { environments } = await dora();
        expect(environments).toHaveLength(1);
        return environments[0];
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(moved).toMatchObject({
      environment: 'dev',
      deployments: 1,
      changeFailureRate: { rate: 0, level: 'elite' },
    });
    expect(moved.leadTimeMs.median).toBeGreaterThan(0);
    const verify = await get('/api/v1/audit/verify');
    expect(verify).toMatchObject({ ok: true });
    expect(verify.checked).toBeGreaterThanOrEqual(4);
  });
});
