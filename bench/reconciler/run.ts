// bench/reconciler: 50 applications of 20 objects each (1,000 objects) reconciled against the Kubernetes
// API double through the real client-node: a full reconcile, a no-op reconcile and a drift scan, with
// the API requests each makes. The baseline, measured in the same run, is what a reconciler that polls
// does on a no-op pass: one GET per object it owns. Run: pnpm --filter @gitops/bench reconciler
// (after pnpm build). BENCH_APPS and BENCH_OBJECTS change the shape.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { type KubeApiDouble, rollout, startKubeApiDouble } from '../../packages/kube-api-double/src/index.js';
import {
  git,
  makeCommit,
  startGitServer,
  startRedisServer,
  testLogger,
} from '../../packages/testing/src/index.js';
import { GitConfigRepo } from '../../services/reconciler/src/adapters/git-config-repo.js';
import { KubeCluster } from '../../services/reconciler/src/adapters/kube-cluster.js';
import { loadKubeConfig } from '../../services/reconciler/src/adapters/kube-config.js';
import { RedisState } from '../../services/reconciler/src/adapters/redis-state.js';
import { Controller } from '../../services/reconciler/src/controller.js';
import { kustomizeCommand } from '../../services/reconciler/src/manifests/render.js';
import { RenderCache } from '../../services/reconciler/src/sync/render-cache.js';
import { appFiles, benchApp } from './apps.js';

const APPS = Number(process.env.BENCH_APPS ?? 50);
const OBJECTS = Number(process.env.BENCH_OBJECTS ?? 20);
const names = Array.from({ length: APPS }, (_, i) => `app-${String(i).padStart(2, '0')}`);

async function timed<T>(fn: () => Promise<T>): Promise<[number, T]> {
  const started = performance.now();
  const value = await fn();
  return [performance.now() - started, value];
}

/** The workload controller the double does not run: every Deployment becomes available. */
function rollOut(double: KubeApiDouble): () => void {
  const timer = setInterval(() => {
    for (const object of double.list({ kind: 'Deployment' })) {
      if (
        (object.status as { observedGeneration?: number } | undefined)?.observedGeneration !==
        object.metadata.generation
      ) {
        rollout(
          double,
          {
            apiVersion: 'apps/v1',
            kind: 'Deployment',
            namespace: object.metadata.namespace!,
            name: object.metadata.name,
          },
          { ready: true },
        );
      }
    }
  }, 20);
  return () => clearInterval(timer);
}

/** The polling baseline: one GET per owned object, as a reconciler without watches does each pass. */
async function pollEveryObject(double: KubeApiDouble): Promise<number> {
  const token = /token: (\S+)/.exec(double.kubeconfig())?.[1] ?? '';
  const owned = double.list().filter((object) => object.metadata.labels?.['gitops.platform/app']);
  for (const object of owned) {
    const base = object.apiVersion === 'v1' ? '/api/v1' : `/apis/${object.apiVersion}`;
    const plural = `${object.kind.toLowerCase()}s`;
    const res = await fetch(
      `${double.url}${base}/namespaces/${object.metadata.namespace}/${plural}/${object.metadata.name}`,
      {
        headers: { authorization: `Bearer ${token}` },
      },
    );
    await res.arrayBuffer();
  }
  return owned.length;
}

async function main() {
  const [double, redisServer, gitServer] = await Promise.all([
    startKubeApiDouble({ namespaces: names }),
    startRedisServer(),
    startGitServer(),
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'bench-reconciler-'));
  const redis = new Redis(redisServer.url);
  const logger = testLogger();
  const cluster = new KubeCluster(loadKubeConfig(double.kubeconfigPath).config!, logger);
  const stopRollout = rollOut(double);
  try {
    const repo = await gitServer.createBareRepo('acme/config');
    await git(['clone', '-q', repo.url, join(dir, 'work')]);
    await makeCommit(
      join(dir, 'work'),
      Object.assign({}, ...names.map((name) => appFiles(name, OBJECTS))),
      'config of every app',
    );
    await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: join(dir, 'work') });
    await cluster.connect();
    const apps = names.map((name) => benchApp(name, repo.url));
    const driftEvents: string[] = [];
    const controller = new Controller({
      apps,
      cluster,
      repo: new GitConfigRepo({
        dir: join(dir, 'trees'),
        repoURLOf: () => repo.url,
        access: async () => ({ env: { ...process.env }, secrets: [] }),
        author: { name: 'bench', email: 'bench@example.com' },
      }),
      store: new RedisState(redis, 'bench', 20),
      renders: new RenderCache({ kustomize: await kustomizeCommand(undefined), maxBytes: 8 << 20 }),
      maxObjects: 1000,
      healthTimeoutMs: 60_000,
      healthPollMs: 20,
      driftDebounceMs: 50,
      logger,
      publish: async (event) => {
        if (event.type === 'dev.gitops.drift.detected.v1') driftEvents.push(event.data.app);
      },
    });
    const syncAll = async () => {
      for (const app of apps) await controller.sync(app, app.config.environments[0]!, 'resync');
    };
    double.resetRequests();
    const [fullMs] = await timed(syncAll);
    const full = double.counts();
    double.resetRequests();
    const [noopMs] = await timed(syncAll);
    const noop = double.counts();
    double.resetRequests();
    const [pollMs, polled] = await timed(() => pollEveryObject(double));
    const poll = double.counts();
    // What a no-op pass spends outside the cluster: asking the git server for each branch head.
    const [lsRemoteMs] = await timed(async () => {
      for (const _name of names) await git(['ls-remote', repo.url, 'refs/heads/main']);
    });
    // Drift: one object of every application changed behind the reconciler's back, found through the watches.
    const [driftMs] = await timed(async () => {
      for (const name of names) {
        double.edit(
          { apiVersion: 'v1', kind: 'ConfigMap', namespace: name, name: 'settings-0' },
          (object) => {
            (object.data as Record<string, string>).index = 'changed';
          },
        );
      }
      while (new Set(driftEvents).size < names.length)
        await new Promise((resolve) => setTimeout(resolve, 10));
    });
    const drift = double.counts();
    const objects = APPS * OBJECTS;
    const perApp = (n: number) => (n / APPS).toFixed(1);
    const rows = [
      ['full reconcile (create all, wait healthy)', fullMs, full],
      ['no-op reconcile (watch caches)', noopMs, noop],
      ['baseline: no-op pass polling each object', pollMs, poll],
      [
        'git: one ls-remote per app (inside the no-op pass)',
        lsRemoteMs,
        { reads: 0, writes: 0, watches: 0, discovery: 0 },
      ],
      [
        'drift scan (1 change per app, all found)',
        driftMs,
        { ...drift, reads: drift.reads - poll.reads, writes: drift.writes - poll.writes },
      ],
    ] as const;
    console.log(
      `\n${APPS} applications x ${OBJECTS} objects = ${objects} objects, against the Kubernetes API double\n`,
    );
    console.log('| pass | time (ms) | reads | writes | watches | discovery | requests per app |');
    console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
    for (const [name, ms, counts] of rows) {
      const requests = counts.reads + counts.writes + counts.watches + counts.discovery;
      console.log(
        `| ${name} | ${ms.toFixed(0)} | ${counts.reads} | ${counts.writes} | ${counts.watches} | ${counts.discovery} | ${perApp(requests)} |`,
      );
    }
    const noopRequests = noop.reads + noop.writes + noop.watches + noop.discovery;
    // A polling reconciler checks Git too: its no-op pass is the GETs plus the same ls-remote per app.
    const baselineMs = pollMs + lsRemoteMs;
    console.log(
      `\nno-op reconcile: ${noopRequests} API requests for ${objects} objects, against ${polled} for the polling baseline; ` +
        `${noopMs.toFixed(0)} ms against its ${baselineMs.toFixed(0)} ms (GETs + ls-remote): ${(noopMs / baselineMs).toFixed(2)}x.`,
    );
    controller.stop();
  } finally {
    stopRollout();
    await cluster.stop();
    redis.disconnect();
    await Promise.all([double.stop(), redisServer.dispose(), gitServer.dispose()]);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
process.exit(0);
