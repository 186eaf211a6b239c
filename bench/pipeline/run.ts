// bench/pipeline: pushes through the whole platform (every service a process, real NATS, Redis,
// registry and git with its post-receive hook), measured from `git push` to the image in the
// registry: one push alone (the floor), 50 pushes over 5 apps and 2 branches in 10 s, and the same
// burst with Redis killed (losing its data) and NATS down for 30 s in the middle.
// Run: pnpm --filter @gitops/bench pipeline
import { setTimeout as sleep } from 'node:timers/promises';
import { type Platform, source, startPlatform } from '@gitops/fixtures';
import { type PipelineSeen, observe } from './observer.js';

const APPS = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];
const BRANCHES = ['main', 'dev'];
const OUTAGE_MS = Number(process.env.BENCH_NATS_OUTAGE_MS ?? 30_000);

interface Push {
  app: string;
  branch: string;
  sha?: string;
  at: number;
}

interface Row {
  scenario: string;
  pushes: number;
  completed: number;
  lost: number;
  duplicated: number;
  superseded: number;
  p50: number;
  p95: number;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length
    ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!
    : Number.NaN;
};

/** Pushes `count` commits round-robin over the apps and branches within `spreadMs`, each app's in order. */
async function burst(platform: Platform, count: number, spreadMs: number, label: string): Promise<Push[]> {
  const pushes: Push[] = [];
  const chains = new Map<string, Promise<void>>();
  const started = Date.now();
  for (let i = 0; i < count; i++) {
    const app = APPS[i % APPS.length]!;
    const branch = BRANCHES[Math.floor(i / APPS.length) % BRANCHES.length]!;
    const push: Push = { app, branch, at: 0 };
    pushes.push(push);
    const due = started + (i * spreadMs) / count;
    const previous = chains.get(app) ?? Promise.resolve();
    chains.set(
      app,
      previous.then(async () => {
        await sleep(Math.max(0, due - Date.now()));
        push.at = Date.now();
        push.sha = await platform.push(app, { 'app.txt': `${label} ${i}\n` }, `${label} ${i}`, branch);
      }),
    );
  }
  await Promise.all(chains.values());
  return pushes;
}

async function settle(seen: Awaited<ReturnType<typeof observe>>, pushes: Push[], deadlineMs: number) {
  const deadline = Date.now() + deadlineMs;
  const done = () => pushes.every((p) => (seen.byCommit(p.sha ?? '')?.terminals.length ?? 0) > 0);
  while (!done() && Date.now() < deadline) await sleep(250);
}

function row(scenario: string, pushes: Push[], seen: Awaited<ReturnType<typeof observe>>): Row {
  const pipelines = pushes.map((p) => [p, seen.byCommit(p.sha ?? '')] as const);
  const finished = pipelines.filter(([, s]) => (s?.terminals.length ?? 0) > 0) as [Push, PipelineSeen][];
  const images = finished.filter(([, s]) => s.terminals[0]!.name === 'image.pushed');
  const latencies = images.map(([p, s]) => s.terminals[0]!.at - p.at);
  return {
    scenario,
    pushes: pushes.length,
    completed: finished.length,
    lost: pushes.length - finished.length,
    duplicated: finished.filter(([, s]) => s.terminals.length > 1).length,
    superseded: finished.filter(([, s]) => s.terminals[0]!.reason === 'superseded').length,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
  };
}

async function scenario(name: string, run: (platform: Platform) => Promise<Push[]>): Promise<Row> {
  const platform = await startPlatform({ apps: APPS, env: { LOG_LEVEL: 'warn' } });
  const seen = await observe(platform.nats.url);
  try {
    // Every application's first build fills the base-image and mirror caches: not part of a run.
    const warm = await Promise.all(
      APPS.map(async (app) => ({
        app,
        branch: 'main',
        at: Date.now(),
        sha: await platform.push(app, source, 'warm up'),
      })),
    );
    await settle(seen, warm, 60_000);
    seen.pipelines.clear();
    const pushes = await run(platform);
    await settle(seen, pushes, 240_000);
    await sleep(2000); // late duplicates would show up here
    return row(name, pushes, seen);
  } finally {
    await seen.close();
    await platform.stop();
  }
}

const faults = async (platform: Platform) => {
  const pushing = burst(platform, 50, 10_000, 'faults');
  await sleep(3000);
  await platform.redis.stop(); // no persistence: every queue's data is gone
  await sleep(1000);
  await platform.redis.restart();
  await sleep(1000);
  await platform.nats.stop();
  await sleep(OUTAGE_MS);
  await platform.nats.restart();
  return pushing;
};

const rows = [
  await scenario('one push alone (floor) x5', async (p) => {
    const pushes: Push[] = [];
    for (let i = 0; i < 5; i++) {
      const push: Push = { app: APPS[0]!, branch: 'main', at: Date.now() };
      push.sha = await p.push(push.app, { 'app.txt': `alone ${i}\n` }, `alone ${i}`);
      pushes.push(push);
      await sleep(4000);
    }
    return pushes;
  }),
  await scenario('50 pushes, 5 apps x 2 branches, 10 s', (p) => burst(p, 50, 10_000, 'burst')),
  await scenario(`same, Redis killed + NATS down ${OUTAGE_MS / 1000} s`, faults),
];

const cols = ['scenario', 'pushes', 'completed', 'lost', 'duplicated', 'superseded', 'p50 ms', 'p95 ms'];
console.log(`\nbench/pipeline: push to image through every service as a process, node ${process.version}\n`);
console.log(`| ${cols.join(' | ')} |\n|${cols.map(() => ' --- ').join('|')}|`);
for (const r of rows) {
  console.log(
    `| ${r.scenario} | ${r.pushes} | ${r.completed} | ${r.lost} | ${r.duplicated} | ${r.superseded} | ${Math.round(r.p50)} | ${Math.round(r.p95)} |`,
  );
}
const [floor, plain, faulted] = rows;
console.log(
  `\np95 push-to-image vs one push alone: burst ${(plain!.p95 / floor!.p95).toFixed(2)}x, with faults ${(faulted!.p95 / floor!.p95).toFixed(2)}x`,
);
console.log(
  'completed counts superseded builds (a newer push to the same branch ended them), which push no image',
);
