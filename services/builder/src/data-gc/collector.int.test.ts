import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { link, mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { Writable } from 'node:stream';
import { DataLeases } from '@gitops/fs';
import { type MetricsRegistry, createLogger, createMetrics } from '@gitops/telemetry';
import { testLogger } from '@gitops/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type {} from './areas.js';
import { DataCollector, type DataCollectorOptions } from './collector.js';
import { type DataDirMetrics, dataDirMetrics } from './metrics.js';
import { HOUR, LIMITS } from './test/limits.js';

const BLOB = `cache/blobs/sha256/${'a'.repeat(64)}`;

let root: string;
let registry: MetricsRegistry;
let metrics: DataDirMetrics;
const children: ChildProcess[] = [];

/** Sets the mtime of everything in an entry: it was last used `hoursAgo`. */
async function age(path: string, hoursAgo: number) {
  const when = new Date(Date.now() - hoursAgo * HOUR);
  const inside = await readdir(join(root, path), { recursive: true }).catch(() => []);
  for (const name of [...inside, '']) await utimes(join(root, path, name), when, when);
}

/** An entry holding `files` (name: size), last used `hoursAgo`. */
async function entry(path: string, files: Record<string, number>, hoursAgo: number) {
  for (const [name, size] of Object.entries(files)) {
    await mkdir(dirname(join(root, path, name)), { recursive: true });
    await writeFile(join(root, path, name), Buffer.alloc(size));
  }
  await age(path, hoursAgo);
}

const exists = (path: string) =>
  stat(join(root, path)).then(
    () => true,
    () => false,
  );

async function metric(name: string): Promise<Record<string, number>> {
  const values = (await registry.getSingleMetric(name)?.get())?.values ?? [];
  return Object.fromEntries(values.map((v) => [String(v.labels.area), v.value]));
}

function collector(overrides: Partial<DataCollectorOptions> = {}) {
  return new DataCollector({
    root,
    maxBytes: 0,
    maxAgeMs: LIMITS,
    intervalMs: 60_000,
    logger: testLogger(),
    metrics,
    ...overrides,
  });
}

/** A lease on `entries` held by another process, as the image pusher holds a layout while it reads it. */
async function holdInAnotherProcess(...entries: string[]): Promise<ChildProcess> {
  const repoRoot = resolve(import.meta.dirname, '../../../..');
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'test/hold-lease.ts'), root, ...entries],
    {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: resolve(repoRoot, 'tsconfig.check.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  children.push(child);
  const [chunk] = await once(child.stdout!, 'data');
  expect(String(chunk)).toBe('held\n');
  return child;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'data-gc-'));
  registry = createMetrics().registry;
  metrics = dataDirMetrics(registry);
});

afterEach(async () => {
  for (const child of children.splice(0)) child.kill('SIGKILL');
  await rm(root, { recursive: true, force: true });
});

describe('the data directory collector', () => {
  it('removes by age and then least recently used first, keeps a layout another process holds, and reports bytes per area', async () => {
    await entry(BLOB, { '': 4000 }, 0);
    await entry('mirrors/git.example/acme/app.git', { HEAD: 1000, 'objects/pack/p.pack': 2000 }, 1);
    await entry('images/app/held', { 'index.json': 1000, 'blobs/sha256/own': 4000 }, 72);
    // A base layer hard-linked from the cache counts once, in the cache.
    await link(join(root, BLOB), join(root, 'images/app/held/blobs/sha256/base'));
    await age('images/app/held', 72);
    await entry('images/app/old', { 'index.json': 5000 }, 72);
    await entry('logs/app/p-old', { 'build.log': 100 }, 20 * 24);
    await entry('logs/app/p1', { 'build.log': 2000 }, 5);
    await entry('logs/app/p2', { 'build.log': 2000 }, 3);
    await entry('results/app/p1.json', { '': 100 }, 2);
    await entry('workspaces/orphan', { 'src/a': 500 }, 2);
    const holder = await holdInAnotherProcess('images/app/held');
    // Taking a lease touches the entry; aged again, only the lease can keep it (a push running long).
    await age('images/app/held', 72);

    const report = await collector({ maxBytes: 12_100 }).sweep();

    expect(report?.removed.map((r) => `${r.path} ${r.reason}`).sort()).toEqual([
      'images/app/old age',
      'logs/app/p-old age',
      'logs/app/p1 budget',
      'logs/app/p2 budget',
      'workspaces/orphan age',
    ]);
    expect(await exists('images/app/held/blobs/sha256/base')).toBe(true);
    expect(await exists('results/app/p1.json')).toBe(true);
    expect(await metric('gitops_data_dir_bytes')).toEqual({
      cache: 4000,
      buildah: 0,
      mirrors: 3000,
      layouts: 5000,
      logs: 0,
      results: 100,
      workspaces: 0,
    });
    expect(await metric('gitops_data_dir_removed_bytes_total')).toMatchObject({
      layouts: 5000,
      logs: 4100,
      workspaces: 500,
      cache: 0,
    });

    holder.kill('SIGTERM');
    await once(holder, 'exit');
    await age('images/app/held', 72);
    await collector({ maxBytes: 12_100 }).sweep();
    expect(await exists('images/app/held')).toBe(false);
  });

  it('warns and removes nothing more when only entries in use keep it over budget', async () => {
    const lines: Record<string, unknown>[] = [];
    const destination = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    await entry('images/app/building', { 'index.json': 3000 }, 0);
    await entry('logs/app/done', { 'build.log': 1000 }, 1);
    const lease = await new DataLeases(root).hold(['images/app/building']);
    const logger = createLogger({ service: 'test', level: 'info', destination });

    const report = await collector({ maxBytes: 2000, logger }).sweep();
    await lease.release();

    expect(report?.removed.map((r) => r.path)).toEqual(['logs/app/done']);
    expect(report?.overBudgetBytes).toBe(1000);
    expect(await exists('images/app/building/index.json')).toBe(true);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: 40,
        overBudgetBytes: 1000,
        msg: expect.stringContaining('only entries in use'),
      }),
    );
  });

  it('lets sweepers of several replicas run at once without removing more than the budget needs', async () => {
    for (let i = 0; i < 10; i++) await entry(`logs/app/p${i}`, { 'build.log': 1000 }, 10 - i);
    const sweeps = await Promise.all([0, 1, 2].map(() => collector({ maxBytes: 6000 }).sweep()));
    const removed = sweeps.flatMap((s) => s?.removed.map((r) => r.path) ?? []);
    expect(removed.sort()).toEqual(['logs/app/p0', 'logs/app/p1', 'logs/app/p2', 'logs/app/p3']);
    expect(await readdir(join(root, 'logs/app'))).toHaveLength(6);
  });

  it('sweeps once at start, and stop waits for the sweep to finish', async () => {
    await entry('workspaces/orphan', { 'src/a': 500 }, 2);
    const running = collector();
    running.start();
    await running.stop();
    expect(await exists('workspaces/orphan')).toBe(false);
    expect(await readdir(join(root, '.trash'))).toEqual([]);
  });
});
