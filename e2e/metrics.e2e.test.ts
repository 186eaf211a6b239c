// The metrics service in the whole platform, every service as its own NATS user with exactly its
// rights: a push through the real receiver, builder, pusher, config updater and reconciler (applying
// to the Kubernetes API double) shows up as a pipeline timeline from source to a healthy deploy in
// the metrics API, and moves the DORA numbers; the compliance ledger verifies.
import { type Platform, author, source, startPlatform } from '@gitops/fixtures';
import { autoRollout } from '@gitops/kube-api-double';
import { git, makeCommit, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

describe('the metrics service in the platform', () => {
  let platform: Platform;
  let metricsUrl: string;
  let stopRollouts: () => void;
  // biome-ignore lint/suspicious/noExplicitAny: API answers read in assertions
  const get = async (path: string): Promise<any> => (await fetch(`${metricsUrl}${path}`)).json();
  const dora = () => get('/api/v1/metrics/dora?app=hello');

  beforeAll(async () => {
    platform = await startPlatform({
      credentials: true,
      kubeApiDouble: true,
      serviceEnv: { reconciler: { RESYNC_INTERVAL: '1h', HEALTH_POLL: '100ms' } },
    });
    metricsUrl = platform.service('metrics').url;
    stopRollouts = autoRollout(platform.double!);
  });
  afterAll(async () => {
    stopRollouts?.();
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  it("shows a pipeline's timeline from push to a healthy deploy, and the DORA numbers it moves", async () => {
    // The config repository's first commit deploys on its own (config.pushed): one deployment, no lead time.
    await readStream(platform.natsUrl, 'gitops.v1.hello.deploy.succeeded', { atLeast: 1, timeoutMs: 30_000 });
    const deploymentsBefore = await vi.waitFor(
      async () => {
        const { environments } = await dora();
        expect(environments[0]?.deployments).toBe(1);
        return environments[0].deployments as number;
      },
      { timeout: 10_000, interval: 200 },
    );
    const sha = await makeCommit(platform.work, source, 'feat: measured commit', author);
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: platform.work });
    const [received] = await readStream(platform.natsUrl, 'gitops.v1.hello.source.received', { atLeast: 1 });
    const pipelineId = received!.json.subject as string;
    const deployed = await readStream(platform.natsUrl, 'gitops.v1.hello.deploy.succeeded', {
      timeoutMs: 90_000,
      until: (messages) => messages.some((m) => m.json.subject === pipelineId),
    });
    expect(deployed.map((m) => m.json.subject)).toContain(pipelineId);
    const [pushed] = await readStream(platform.natsUrl, 'gitops.v1.hello.image.pushed', { atLeast: 1 });

    const pipeline = await vi.waitFor(
      async () => {
        const found = await get(`/api/v1/pipelines/${pipelineId}`);
        const stages = found.stages?.map((s: { stage: string; environment: string }) =>
          [s.stage, s.environment].filter(Boolean).join(':'),
        );
        expect(stages).toEqual(['source', 'build', 'image', 'config:dev', 'deploy:dev']);
        return found;
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(pipeline).toMatchObject({
      app: 'hello',
      commit: sha,
      digest: (pushed!.json.data as { digest: string }).digest,
    });
    for (const stage of pipeline.stages) expect(stage.durationMs).toBeGreaterThanOrEqual(0);
    const listed = (await get('/api/v1/pipelines?app=hello')).pipelines.map((p: { id: string }) => p.id);
    expect(listed).toContain(pipelineId);

    const moved = await vi.waitFor(
      async () => {
        const { environments } = await dora();
        expect(environments).toHaveLength(1);
        expect(environments[0].deployments).toBe(deploymentsBefore + 1);
        return environments[0];
      },
      { timeout: 10_000, interval: 200 },
    );
    expect(moved).toMatchObject({
      environment: 'dev',
      changeFailureRate: { rate: 0, level: 'elite' },
    });
    expect(moved.leadTimeMs.median).toBeGreaterThan(0);
    const verify = await get('/api/v1/audit/verify');
    expect(verify).toMatchObject({ ok: true });
    expect(verify.checked).toBeGreaterThanOrEqual(6);
  });
});
