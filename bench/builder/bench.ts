import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startRegistry } from '@gitops/testing';
import { type ImageBuildRequest, createImageDriver } from '../../services/builder/src/image/index.js';
import { pushBusyboxBase } from '../../services/builder/src/image/test/busybox-base.js';
import { writeSampleApp } from './sample-app.js';
import { type SandboxRows, measureSandbox } from './sandbox-bench.js';

const run = promisify(execFile);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const work = await mkdtemp(join(tmpdir(), 'bench-builder-'));
const app = join(work, 'app');
const registry = await startRegistry();
const env = { REGISTRY_URL: registry.url };
const baseRef = `${registry.host}/bench/busybox:1`;

interface Row {
  name: string;
  seconds: number;
  bytes: number;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

async function timed(fn: () => Promise<number>): Promise<{ seconds: number; bytes: number }> {
  const start = process.hrtime.bigint();
  const bytes = await fn();
  return { seconds: seconds(start), bytes };
}

async function tarFloor(): Promise<{ seconds: number; bytes: number }> {
  const file = join(work, 'context.tgz');
  return timed(async () => {
    await run('tar', ['-czf', file, '-C', app, '.']);
    return (await stat(file)).size;
  });
}

function request(dockerfile: string): ImageBuildRequest {
  return {
    app: 'bench',
    contextDir: app,
    dockerfile,
    commitTime: new Date('2024-01-01T00:00:00Z'),
    labels: { 'org.opencontainers.image.revision': 'bench' },
    outputDir: join(work, 'out', `${dockerfile}-${process.hrtime.bigint()}`),
    signal: new AbortController().signal,
    log: () => undefined,
  };
}

/** One build with a driver over `dataDir`; the bytes are the image's (manifest, config, layers). */
async function build(dockerfile: string, dataDir: string): Promise<{ seconds: number; bytes: number }> {
  const text = await readFile(join(app, dockerfile), 'utf8');
  const driver = createImageDriver('auto', text, { dataDir, env });
  return timed(async () => (await driver.build(request(dockerfile))).size);
}

/** Medians of `RUNS` repetitions. */
async function measure(name: string, fn: () => Promise<{ seconds: number; bytes: number }>): Promise<Row> {
  const results: { seconds: number; bytes: number }[] = [];
  for (let i = 0; i < RUNS; i++) results.push(await fn());
  return { name, seconds: median(results.map((r) => r.seconds)), bytes: median(results.map((r) => r.bytes)) };
}

const fresh = () => mkdtemp(join(work, 'data-'));

try {
  const files = await writeSampleApp(app);
  await writeFile(join(app, '.dockerignore'), 'Dockerfile*\n');
  await writeFile(
    join(app, 'Dockerfile.native'),
    `FROM ${baseRef}\nWORKDIR /app\nCOPY package.json ./\nCOPY node_modules node_modules/\nCOPY src src/\nCMD ["node", "src/module-0.js"]\n`,
  );
  await writeFile(
    join(app, 'Dockerfile.buildah'),
    `FROM ${baseRef}\nWORKDIR /app\nCOPY . .\nRUN echo built > /app/build-info.txt\nCMD ["node", "src/module-0.js"]\n`,
  );
  await pushBusyboxBase(baseRef, join(work, 'prepare'));
  const { stdout } = await run('du', ['-sb', '--exclude=Dockerfile*', app]);
  console.log(`sample app: ${files} files, ${stdout.split('\t')[0]} bytes; ${RUNS} runs each, medians\n`);

  const warmDir = await fresh();
  await build('Dockerfile.native', warmDir);
  const buildahDir = await fresh();
  await build('Dockerfile.buildah', buildahDir);
  const rows = [
    await measure('tar -czf (floor)', tarFloor),
    await measure('native, cold (empty cache)', async () => build('Dockerfile.native', await fresh())),
    await measure('native, warm (base cached)', () => build('Dockerfile.native', warmDir)),
    await measure('buildah, cold (empty storage)', async () => build('Dockerfile.buildah', await fresh())),
    await measure('buildah, warm (base in storage)', () => build('Dockerfile.buildah', buildahDir)),
  ];
  printTable(rows);
  printSandbox(await measureSandbox(registry.url, baseRef, RUNS));
} finally {
  await registry.dispose();
  await rm(work, { recursive: true, force: true });
}

function printTable(rows: Row[]): void {
  const floor = rows[0]?.seconds ?? 1;
  console.log('| build | seconds | bytes | x floor |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const row of rows) {
    console.log(
      `| ${row.name} | ${row.seconds.toFixed(3)} | ${row.bytes} | ${(row.seconds / floor).toFixed(2)} |`,
    );
  }
  const warm = rows.find((r) => r.name.startsWith('native, warm'));
  const ratio = (warm?.seconds ?? 0) / floor;
  console.log(
    `\nnative warm / tar floor = ${ratio.toFixed(2)} (goal <= 1.5): ${ratio <= 1.5 ? 'met' : 'NOT met'}`,
  );
}

function printSandbox({ sandboxed, unsandboxed }: SandboxRows): void {
  console.log('\n| whole build, warm native image, 3 steps | seconds |');
  console.log('| --- | ---: |');
  console.log(`| steps in the sandbox (bwrap) | ${sandboxed.toFixed(3)} |`);
  console.log(`| steps without it (BUILD_SANDBOX=off) | ${unsandboxed.toFixed(3)} |`);
  const overhead = (sandboxed / unsandboxed - 1) * 100;
  console.log(
    `\nsandboxed / unsandboxed = ${(sandboxed / unsandboxed).toFixed(3)} (+${overhead.toFixed(1)} %, goal < +10 %): ${overhead < 10 ? 'met' : 'NOT met'}`,
  );
}
