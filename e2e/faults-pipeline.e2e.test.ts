// Faults end to end, each row of the durability table: Redis losing its data, NATS going away, a
// burst of pushes, a huge commit, a registry outage, a redelivered webhook. Every service runs as
// its own process against real servers; each case uses an application of its own and asserts what
// a user would: every push ends in exactly one terminal event, which a plain subscriber sees once.
import { createHmac, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Platform, source, startPlatform } from '@gitops/fixtures';
import { readStream } from '@gitops/testing';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

const APPS = ['queued', 'outage', 'redeliver', 'huge', 'registry', 'numbers'];
const TERMINAL = /^dev\.gitops\.(image\.pushed|image\.failed|build\.failed)\.v1$/;
const SECRET = 'e2e-webhook-secret';

const slowStep = (seconds: number) => `steps:\n  - name: test\n    run: sleep ${seconds}\n`;

describe('the pipeline under faults', () => {
  let platform: Platform;
  /** What a plain `nats sub 'gitops.v1.>'` received: event type per pipeline, in order. */
  const plain = new Map<string, string[]>();
  let closePlain: () => Promise<void>;

  beforeAll(async () => {
    platform = await startPlatform({ apps: APPS, env: { REGISTRY_RETRY_BUDGET: '60s' } });
    const nc = await connect({
      servers: platform.nats.url,
      maxReconnectAttempts: -1,
      reconnectTimeWait: 200,
    });
    nc.subscribe('gitops.v1.>', {
      callback: (_err, msg) => {
        const { subject, type } = msg.json<{ subject: string; type: string }>();
        plain.set(subject, [...(plain.get(subject) ?? []), type]);
      },
    });
    closePlain = () => nc.close();
  });
  afterAll(async () => {
    await closePlain?.();
    const codes = await platform?.stop();
    expect(codes, 'every service exits cleanly on SIGTERM').toEqual(codes?.map(() => 0));
  });

  /** The stored pipelines of `app` and their terminal events, once every one of `commits` has one. */
  const settled = async (app: string, commits: string[], timeout = 90_000) =>
    vi.waitFor(
      async () => {
        const stored = await readStream(platform.nats.url, `gitops.v1.${app}.>`, { timeoutMs: 0 });
        const pipelines = new Map<string, { commit: string; terminals: string[] }>();
        for (const m of stored) {
          const entry = pipelines.get(m.json.subject as string) ?? { commit: '', terminals: [] };
          const data = m.json.data as { commit: string };
          entry.commit = data.commit;
          if (TERMINAL.test(m.json.type as string)) entry.terminals.push(m.json.type as string);
          pipelines.set(m.json.subject as string, entry);
        }
        const ofCommit = commits.map((c) => [...pipelines.entries()].find(([, p]) => p.commit === c));
        if (ofCommit.some((p) => !p || p[1].terminals.length === 0)) throw new Error(`${app}: not settled`);
        return ofCommit.map((p) => ({ pipelineId: p![0], terminals: p![1].terminals }));
      },
      { timeout, interval: 250 },
    );

  /** Every pipeline ended once, in the stream and for a plain subscriber. */
  const expectOnce = (pipelines: { pipelineId: string; terminals: string[] }[]) => {
    for (const { pipelineId, terminals } of pipelines) {
      expect(terminals, pipelineId).toHaveLength(1);
      expect(
        (plain.get(pipelineId) ?? []).filter((t) => TERMINAL.test(t)),
        pipelineId,
      ).toHaveLength(1);
    }
  };

  it('loses no pipeline when Redis loses its data while one build runs and three wait', async () => {
    const commits: string[] = [];
    for (const branch of ['b1', 'b2', 'b3', 'b4']) {
      commits.push(await platform.push('queued', { ...source, '.gitops.yaml': slowStep(2) }, branch, branch));
    }
    await sleep(1000);
    await platform.redis.stop();
    await platform.redis.restart();
    const pipelines = await settled('queued', commits);
    expectOnce(pipelines);
    expect(pipelines.map((p) => p.terminals[0])).toEqual(Array(4).fill('dev.gitops.image.pushed.v1'));
  }, 120_000);

  it('finishes builds that ran while NATS was down, and a push made during the outage, once each', async () => {
    const first = await platform.push('outage', { ...source, '.gitops.yaml': slowStep(2) }, 'before', 'x');
    await vi.waitFor(async () =>
      expect(
        await readStream(platform.nats.url, 'gitops.v1.outage.build.started', { timeoutMs: 0 }),
      ).toHaveLength(1),
    );
    await platform.nats.stop();
    const pushed = Date.now();
    const during = await platform.push('outage', { ...source, 'app.txt': 'during\n' }, 'during', 'y');
    expect(Date.now() - pushed, 'git push is not held by the outage').toBeLessThan(10_000);
    await sleep(8000);
    await platform.nats.restart();
    const pipelines = await settled('outage', [first, during]);
    expectOnce(pipelines);
    expect(pipelines.map((p) => p.terminals[0])).toEqual(Array(2).fill('dev.gitops.image.pushed.v1'));
  }, 120_000);

  it('starts one pipeline for a webhook delivered three times, which a plain subscriber sees once', async () => {
    const payload = JSON.stringify({
      repoURL: platform.repoURL('redeliver'),
      ref: 'refs/heads/main',
      before: '0'.repeat(40),
      after: 'a'.repeat(40),
      deliveryId: randomUUID(),
    });
    const signature = `sha256=${createHmac('sha256', SECRET).update(payload).digest('hex')}`;
    const post = () =>
      fetch(`${platform.service('webhook-receiver').url}/webhooks/generic`, {
        method: 'POST',
        body: payload,
        headers: { 'content-type': 'application/json', 'x-signature-256': signature },
      });
    const answers = [await post(), await post(), await post()];
    expect(answers.map((a) => a.status)).toEqual([202, 200, 200]);
    const { pipelineId } = (await answers[0]!.json()) as { pipelineId: string };
    await sleep(500);
    expect(plain.get(pipelineId)?.filter((t) => t === 'dev.gitops.source.received.v1')).toHaveLength(1);
  });

  it('delivers a push whose commit message is over 1 MiB, truncated, without the hook crashing', async () => {
    const message = `huge\n\n${'x'.repeat(1.5 * 1024 * 1024)}`;
    const sha = await platform.push('huge', source, message);
    expectOnce(await settled('huge', [sha]));
    const [received] = await readStream(platform.nats.url, 'gitops.v1.huge.source.received', { atLeast: 1 });
    const stored = (received!.json.data as { headCommit: { message: string } }).headCommit.message;
    expect(stored.length).toBeLessThan(64 * 1024);
    expect(stored).toMatch(/truncated/);
  }, 60_000);

  it('pushes the image once the registry is back from an outage during the push', async () => {
    const sha = await platform.push('registry', { ...source, '.gitops.yaml': slowStep(1) }, 'outage');
    await vi.waitFor(async () =>
      expect(
        await readStream(platform.nats.url, 'gitops.v1.registry.build.started', { timeoutMs: 0 }),
      ).toHaveLength(1),
    );
    await platform.registry.stop();
    await sleep(5000);
    await platform.registry.restart();
    const [pipeline] = await settled('registry', [sha]);
    expectOnce([pipeline!]);
    expect(pipeline!.terminals).toEqual(['dev.gitops.image.pushed.v1']);
  }, 90_000);

  it('never gives a build number again after Redis lost its data', async () => {
    const numberOf = async (sha: string) => {
      await settled('numbers', [sha]);
      const pushed = await readStream(platform.nats.url, 'gitops.v1.numbers.image.pushed', { timeoutMs: 0 });
      const data = pushed.map((m) => m.json.data as { commit: string; buildNumber: number });
      return data.find((d) => d.commit === sha)!.buildNumber;
    };
    const first = await numberOf(await platform.push('numbers', source, 'first'));
    const second = await numberOf(await platform.push('numbers', { 'app.txt': 'second\n' }, 'second'));
    await platform.redis.stop();
    await platform.redis.restart();
    const third = await numberOf(await platform.push('numbers', { 'app.txt': 'third\n' }, 'third'));
    expect([first, second, third]).toEqual([first, first + 1, first + 2]);
  }, 90_000);
});
