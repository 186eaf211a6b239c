// bench/config-updater: N image bumps for one config repository (N = 1, 20, 100), all arriving at once
// as N image.pushed events, through the real service (in-process: NATS, BullMQ on Redis, the git server),
// timed from the first publish to the last config.updated; against a shell loop making the same edits
// one after the other (`git pull --rebase && sed && git commit && git push`) in the same run. Both start
// with a clone in place (the service's from one untimed bump before).
// Run: pnpm --filter @gitops/bench config-updater   (BENCH_SIZES=1,20,100 changes the sizes)
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { GitopsEvent } from '@gitops/contracts';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import {
  type GitServer,
  buildSucceeded,
  git,
  imagePushed,
  makeCommit,
  startGitServer,
  startRedisServer,
  testApplication,
} from '@gitops/testing';
import { configUpdater } from '../../services/config-updater/src/service.js';

const SIZES = (process.env.BENCH_SIZES ?? '1,20,100').split(',').map(Number);
const REPOSITORY = '127.0.0.1:5000/acme/bench';
const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;
const KUSTOMIZATION = `kind: Kustomization
resources: [deployment.yaml]
images:
  - name: ${REPOSITORY}
    newTag: latest
    digest: ${digestOf(0)}
`;

interface Row {
  n: number;
  writer: string;
  seconds: number;
  commits: number;
  lost: number;
}

async function configRepo(server: GitServer, dir: string) {
  const repo = await server.createBareRepo(`bench/config-${randomUUID().slice(0, 8)}`);
  const work = join(dir, randomUUID());
  await git(['clone', '-q', repo.url, work]);
  await makeCommit(work, { 'envs/dev/kustomization.yaml': KUSTOMIZATION }, 'initial config');
  await git(['push', '-q', 'origin', 'HEAD:main'], { cwd: work });
  return { ...repo, work };
}

/** Commits after the initial one, and bumps whose digest is in no commit of the history. */
async function outcome(repoDir: string, n: number) {
  const log = await git(['--git-dir', repoDir, 'log', '-p', '--format=%H%n%B', 'main']);
  const commits = Number((await git(['--git-dir', repoDir, 'rev-list', '--count', 'main'])).trim()) - 1;
  const head = await git(['--git-dir', repoDir, 'show', 'main:envs/dev/kustomization.yaml']);
  // Batched bumps are carried by their batch's commit; the last bump's digest must be what main pins.
  const lostLast = head.includes(digestOf(n)) ? 0 : 1;
  return { commits, lost: lostLast, log };
}

const SHELL_LOOP = `
set -e
cd "$WORK"
for i in $(seq 1 "$N"); do
  digest=$(printf 'sha256:%064x' "$i")
  git pull -q --rebase origin main &&
  sed -i -e "s|newTag: .*|newTag: main-abc1234-$i|" -e "s|digest: .*|digest: $digest|" envs/dev/kustomization.yaml &&
  git commit -qam "deploy(bench/dev): ${REPOSITORY}@$digest" &&
  git push -q origin HEAD:main
done
`;

async function shellLoop(server: GitServer, dir: string, n: number): Promise<Row> {
  const repo = await configRepo(server, dir);
  const env = {
    ...process.env,
    WORK: repo.work,
    N: String(n),
    GIT_AUTHOR_NAME: 'b',
    GIT_AUTHOR_EMAIL: 'b@b',
    GIT_COMMITTER_NAME: 'b',
    GIT_COMMITTER_EMAIL: 'b@b',
  };
  const started = performance.now();
  await promisify(execFile)('bash', ['-c', SHELL_LOOP], { env });
  const seconds = (performance.now() - started) / 1000;
  const { commits, lost } = await outcome(repo.dir, n);
  return { n, writer: 'shell loop (baseline)', seconds, commits, lost: lost + Math.max(0, n - commits) };
}

async function service(
  fixture: BusFixture,
  redisUrl: string,
  server: GitServer,
  dir: string,
  n: number,
): Promise<Row> {
  const repo = await configRepo(server, dir);
  const app = `bench-${randomUUID().slice(0, 6)}`;
  const application = testApplication(app, {
    configRepoURL: repo.url,
    imageRepository: REPOSITORY,
    environments: [{ name: 'dev', path: 'envs/dev' }],
  });
  const updater = await startServiceFixture(configUpdater, { bus: fixture, redisUrl, apps: [application] });
  const answered = new Set<string>();
  const waiters: Array<{ size: number; done: () => void }> = [];
  const consumer = await fixture.bus.consume(
    { durable: `bench-${randomUUID()}`, filterSubject: `gitops.v1.${app}.config.updated` },
    async ({ event }) => {
      answered.add((event.event as GitopsEvent<'config.updated'>).data.pipelineId);
      for (const waiter of waiters) if (answered.size >= waiter.size) waiter.done();
    },
  );
  const answers = (size: number) => new Promise<void>((done) => waiters.push({ size, done }));
  const pushed = (n: number) =>
    imagePushed(buildSucceeded({ app, digest: digestOf(n), layout: 'layouts/x' }), REPOSITORY);
  // One bump first, untimed: the replica's work clone exists, as the shell loop's clone does.
  await fixture.bus.publish(pushed(10_000));
  await answers(1);
  const events = Array.from({ length: n }, (_, i) => pushed(i + 1));
  const started = performance.now();
  // In order, as a burst of pipelines finishing one after the other would publish them.
  for (const event of events) await fixture.bus.publish(event);
  await answers(n + 1);
  const seconds = (performance.now() - started) / 1000;
  await consumer.stop();
  await updater.stop();
  const { commits, log } = await outcome(repo.dir, n);
  const lost = events.filter((e) => !log.includes(e.data.pipelineId)).length;
  return { n, writer: 'config-updater', seconds, commits: commits - 1, lost };
}

function print(rows: Row[]) {
  const out = (line = '') => process.stdout.write(`${line}\n`);
  out('| N | writer | time to drain (s) | commits | bumps/s | commits/s | lost updates | vs shell loop |');
  out('| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const row of rows) {
    const shell = rows.find((r) => r.n === row.n && r.writer.startsWith('shell'))!;
    out(
      `| ${row.n} | ${row.writer} | ${row.seconds.toFixed(2)} | ${row.commits} | ${(row.n / row.seconds).toFixed(1)} | ${(row.commits / row.seconds).toFixed(1)} | ${row.lost} | ${(shell.seconds / row.seconds).toFixed(2)}x |`,
    );
  }
  out();
  for (const n of SIZES) {
    const [shell, updater] = [
      rows.find((r) => r.n === n && r.writer.startsWith('shell'))!,
      rows.find((r) => r.n === n && r.writer === 'config-updater')!,
    ];
    const verdict =
      updater.seconds < shell.seconds && updater.lost === 0
        ? 'faster, nothing lost'
        : 'NOT faster or lost updates';
    out(`- N = ${n}: ${verdict} (${(shell.seconds / updater.seconds).toFixed(2)}x the shell loop)`);
  }
}

async function main() {
  const dir = await mkdtemp(join(tmpdir(), 'bench-config-'));
  const [server, redis, fixture] = await Promise.all([
    startGitServer(),
    startRedisServer(),
    startBusFixture(),
  ]);
  try {
    const rows: Row[] = [];
    for (const n of SIZES) {
      rows.push(await shellLoop(server, dir, n));
      rows.push(await service(fixture, redis.url, server, dir, n));
    }
    print(rows);
  } finally {
    await fixture.dispose();
    await Promise.all([server.dispose(), redis.dispose()]);
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
