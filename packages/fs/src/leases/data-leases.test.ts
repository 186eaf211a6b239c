import { mkdir, mkdtemp, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DataLeases, whileHeld } from './data-leases.js';
import { MARKER_DIR, TRASH_DIR, claimFile } from './markers.js';
import { leasedEntries, pruneLeftovers, removeUnlessInUse } from './removal.js';

let root: string;
const exists = (path: string) =>
  stat(join(root, path)).then(
    () => true,
    () => false,
  );
const markers = async () => readdir(join(root, MARKER_DIR)).catch(() => []);
const ago = (ms: number) => new Date(Date.now() - ms);

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'leases-'));
  await mkdir(join(root, 'images/app/p1'), { recursive: true });
  await writeFile(join(root, 'images/app/p1/index.json'), '{}');
});
afterEach(() => rm(root, { recursive: true, force: true }));

describe('data leases', () => {
  it('keeps a leased entry and removes it once the lease is released', async () => {
    const lease = await new DataLeases(root).hold(['images/app/p1']);
    expect(await removeUnlessInUse(root, 'images/app/p1')).toBe('in-use');
    expect(await exists('images/app/p1/index.json')).toBe(true);
    await lease.release();
    expect(await removeUnlessInUse(root, 'images/app/p1')).toBe('removed');
    expect(await exists('images/app/p1')).toBe(false);
    expect(await markers()).toEqual([]);
    expect(await readdir(join(root, TRASH_DIR))).toEqual([]);
  });

  it('covers everything under a leased directory', async () => {
    await mkdir(join(root, 'cache/blobs/sha256'), { recursive: true });
    await writeFile(join(root, 'cache/blobs/sha256/aa'), 'blob');
    const lease = await new DataLeases(root).hold(['cache']);
    expect(await removeUnlessInUse(root, 'cache/blobs/sha256/aa')).toBe('in-use');
    await lease.release();
    expect(await removeUnlessInUse(root, 'cache/blobs/sha256/aa')).toBe('removed');
  });

  it('ignores a lease whose heartbeat stopped', async () => {
    await new DataLeases(root, { heartbeatMs: 60_000 }).hold(['images/app/p1']);
    const [file] = await markers();
    await utimes(join(root, MARKER_DIR, file!), ago(10_000), ago(10_000));
    expect(await removeUnlessInUse(root, 'images/app/p1', 5_000)).toBe('removed');
  });

  it('refreshes its lease at every heartbeat, and writes it again if a sweeper pruned it', async () => {
    const lease = await new DataLeases(root, { heartbeatMs: 20 }).hold(['images/app/p1']);
    const [file] = await markers();
    await utimes(join(root, MARKER_DIR, file!), ago(10_000), ago(10_000));
    await pruneLeftovers(root, 5_000);
    expect(await markers()).toEqual([]);
    await sleep(100);
    expect(await leasedEntries(root, 5_000)).toEqual(['images/app/p1']);
    await lease.release();
    expect(await markers()).toEqual([]);
  });

  it('lets only one of two sweepers remove an entry', async () => {
    const outcomes = await Promise.all([
      removeUnlessInUse(root, 'images/app/p1'),
      removeUnlessInUse(root, 'images/app/p1'),
    ]);
    expect(outcomes.filter((o) => o === 'removed')).toHaveLength(1);
    expect(outcomes.filter((o) => o === 'busy' || o === 'gone')).toHaveLength(1);
  });

  it('makes a holder wait while a sweeper is removing its entry', async () => {
    await mkdir(join(root, MARKER_DIR), { recursive: true });
    const claim = claimFile(root, 'images/app');
    await writeFile(claim, JSON.stringify({ entry: 'images/app' }));
    let held = false;
    const holding = new DataLeases(root, { pollMs: 10 }).hold(['images/app/p1']).then((lease) => {
      held = true;
      return lease;
    });
    await sleep(100);
    expect(held).toBe(false);
    await rm(claim);
    await (await holding).release();
    expect(held).toBe(true);
  });

  it('records the last use of an entry in its mtime on release', async () => {
    await utimes(join(root, 'images/app/p1'), ago(86_400_000), ago(86_400_000));
    await whileHeld(new DataLeases(root), ['images/app/p1'], async () => undefined);
    const { mtimeMs } = await stat(join(root, 'images/app/p1'));
    expect(Date.now() - mtimeMs).toBeLessThan(10_000);
  });

  it('releases its lease when the work throws', async () => {
    const failing = whileHeld(new DataLeases(root), ['images/app/p1'], async () => {
      throw new Error('push failed');
    });
    await expect(failing).rejects.toThrow('push failed');
    expect(await markers()).toEqual([]);
  });

  it('deletes trash a crashed sweeper left, and markers nobody refreshes', async () => {
    await mkdir(join(root, TRASH_DIR, `${Date.now() - 10_000}-x/deep`), { recursive: true });
    await mkdir(join(root, TRASH_DIR, `${Date.now()}-y`), { recursive: true });
    await mkdir(join(root, MARKER_DIR));
    await writeFile(claimFile(root, 'images/app/p1'), '');
    await utimes(claimFile(root, 'images/app/p1'), ago(10_000), ago(10_000));
    await pruneLeftovers(root, 5_000);
    expect(await readdir(join(root, TRASH_DIR))).toEqual([expect.stringMatching(/-y$/)]);
    expect(await markers()).toEqual([]);
  });

  it('refuses entries outside the data directory', async () => {
    await expect(new DataLeases(root).hold(['../etc'])).rejects.toThrow(/leaves the data directory/);
    await expect(removeUnlessInUse(root, '/etc')).rejects.toThrow(/relative path/);
    await expect(removeUnlessInUse(root, '.')).rejects.toThrow(/the data directory itself/);
  });
});
