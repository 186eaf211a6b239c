// bench/receiver: signed GitHub push webhooks (a real ~8 KB payload) at concurrency 64 and at a
// fixed 500 requests/s, against (a) the webhook receiver, (b) a bare fastify route that parses the
// body and awaits one JetStream publish, (c) a bare fastify hello-world. Run: pnpm --filter @gitops/bench receiver
import { type ChildProcess, spawn } from 'node:child_process';
import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startServiceBus } from '@gitops/bus';
import { loadConfig, natsConnectOptions, serviceEnv } from '@gitops/config';
import { createLogger, createMetrics } from '@gitops/telemetry';
import { freePort, spawnService, startNatsServer, waitForPort } from '@gitops/testing';
import autocannon from 'autocannon';
import { type FixedRateResult, fixedRate } from './fixed-rate.js';

const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const SECRET = 'bench-secret';
const require = createRequire(import.meta.url);
const examples = JSON.parse(
  readFileSync(require.resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
);
const push = examples
  .find((e: { name: string }) => e.name === 'push')
  .examples.find((p: { ref: string; deleted: boolean }) => p.ref === 'refs/heads/master' && !p.deleted);
const body = JSON.stringify(push);
let pushes = 0;
/**
 * A new push per request: the same payload moved to a fresh `after` commit, signed again, under a
 * fresh delivery id. The receiver derives the pipeline from the ref and the before/after commits,
 * so a repeated body would only measure its duplicate answer.
 */
function nextPush(): { body: string; headers: Record<string, string> } {
  const after = (++pushes).toString(16).padStart(40, '0');
  const fresh = body.replace(`"after":"${push.after}"`, `"after":"${after}"`);
  return {
    body: fresh,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(fresh).digest('hex')}`,
      'x-github-delivery': randomUUID(),
    },
  };
}

interface Result {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
}

async function load(url: string, options: { connections: number }): Promise<Result> {
  const result = await autocannon({
    url: `${url}/webhooks/github`,
    duration: DURATION_S,
    connections: options.connections,
    requests: [{ method: 'POST', setupRequest: (request) => ({ ...request, ...nextPush() }) }],
  });
  const bad = result.non2xx + result.errors + result.timeouts;
  return { rps: result.requests.average, p50: result.latency.p50, p99: result.latency.p99, errors: bad };
}

async function spawnFloor(mode: string, natsUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'floor-server.ts'), mode, String(port), natsUrl],
    {
      stdio: 'inherit',
    },
  );
  await waitForPort(port);
  return { url: `http://127.0.0.1:${port}`, child };
}

// A fresh nats-server for each of (a) and (b): the stream (and its 72-hour dedupe map) one target
// filled must not slow down, or speed up, the other. (b)'s stream is provisioned as the receiver's.
const [nats, floorNats] = await Promise.all([startNatsServer(), startNatsServer()]);
const floorConfig = loadConfig(serviceEnv(1), { NATS_URL: floorNats.url });
await (
  await startServiceBus(
    'bench',
    { ...floorConfig, nats: natsConnectOptions(floorConfig) },
    {
      logger: createLogger({ service: 'bench', level: 'warn' }),
      metrics: createMetrics(),
    },
  )
).close();
const dir = mkdtempSync(join(tmpdir(), 'bench-receiver-'));
writeFileSync(
  join(dir, 'gitops.yaml'),
  `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: 'https://github.com/Codertocat/Hello-World.git', branches: [master] }
  image: { repository: 127.0.0.1:5000/acme/hello }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: hello }
`,
);
const receiver = await spawnService('webhook-receiver', {
  NATS_URL: nats.url,
  GITOPS_APPS: join(dir, 'gitops.yaml'),
  WEBHOOK_SECRET: SECRET,
  LOG_LEVEL: 'warn',
});
const floor = await spawnFloor('publish', floorNats.url);
const hello = await spawnFloor('hello', nats.url);

const targets = [
  ['(a) webhook receiver', receiver.url, receiver.child.pid!],
  ['(b) fastify + JetStream publish', floor.url, floor.child.pid!],
  ['(c) fastify hello-world', hello.url, hello.child.pid!],
] as const;

/** CPU time (user + system, all threads) a process has used, in ms: steadier than throughput on a shared machine. */
const cpuMs = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
};

const rows: { name: string; c64: Result; fixed: FixedRateResult; cpuUs: number }[] = [];
for (const [name, url, pid] of targets) {
  await load(url, { connections: 16 }); // warm-up, not reported
  const c64 = await load(url, { connections: 64 });
  const before = cpuMs(pid);
  const fixed = await fixedRate(`${url}/webhooks/github`, {
    rate: 500,
    durationS: DURATION_S,
    next: nextPush,
  });
  rows.push({ name, c64, fixed, cpuUs: ((cpuMs(pid) - before) * 1000) / fixed.sent });
}
await receiver.stop();
floor.child.kill();
hello.child.kill();
await Promise.all([nats.dispose(), floorNats.dispose()]);

const pad = (s: string | number, n: number) => String(s).padStart(n);
console.log(
  `\nbench/receiver: ${body.length}-byte signed GitHub push, ${DURATION_S} s per run, node ${process.version}\n`,
);
console.log(
  `${'target'.padEnd(34)} ${pad('req/s @c64', 11)} ${pad('p50 ms', 7)} ${pad('p99 ms', 7)} ${pad('errors', 7)} | ${pad('@500/s p50', 10)} ${pad('p99 ms', 7)} ${pad('errors', 7)} ${pad('CPU µs/req', 11)}`,
);
for (const { name, c64, fixed, cpuUs } of rows) {
  console.log(
    `${name.padEnd(34)} ${pad(c64.rps.toFixed(0), 11)} ${pad(c64.p50, 7)} ${pad(c64.p99, 7)} ${pad(c64.errors, 7)} | ${pad(fixed.p50.toFixed(1), 10)} ${pad(fixed.p99.toFixed(1), 7)} ${pad(fixed.errors, 7)} ${pad(cpuUs.toFixed(0), 11)}`,
  );
}
const [a, b, c] = rows.map((r) => r.c64.rps) as [number, number, number];
console.log(
  `\nthroughput ratios at concurrency 64: (a)/(b) = ${(a / b).toFixed(2)} (goal >= 0.70), (a)/(c) = ${(a / c).toFixed(2)}`,
);
console.log(
  `CPU per request at 500/s: (b)/(a) = ${(rows[1]!.cpuUs / rows[0]!.cpuUs).toFixed(2)} (the receiver's work beyond the floor, steadier than throughput)`,
);
console.log(`receiver p99 at 500 requests/s: ${rows[0]!.fixed.p99.toFixed(1)} ms (goal < 20 ms)`);
