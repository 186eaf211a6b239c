import { mkdir, utimes } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  CLAIM_SUFFIX,
  MARKER_TIMING,
  entryPath,
  freshMarkers,
  holderName,
  leaseFile,
  markerDir,
  markerRecord,
  overlaps,
  removeMarker,
  writeMarker,
} from './markers.js';

/** Entries of the data directory marked in use, until released. */
export interface Lease {
  /** The entries, in canonical form (relative, `/`-separated). */
  readonly entries: readonly string[];
  /** Records the entries' last use (their mtime) and drops the marks; calling it again does nothing. */
  release(): Promise<void>;
}

/** Marks entries of the data directory in use, so that no sweeper removes them meanwhile. */
export interface LeaseHolder {
  /** `entries` are paths relative to the data directory; a directory covers everything under it. */
  hold(entries: readonly string[]): Promise<Lease>;
}

export interface DataLeasesOptions {
  heartbeatMs?: number;
  staleMs?: number;
  /** How often `hold` looks again while a sweeper is removing one of its entries. */
  pollMs?: number;
}

interface LeaseFile {
  entry: string;
  file: string;
  content: string;
}

/**
 * Lease files under `<root>/.leases` (markers.ts): written before the entries are touched, their
 * mtime refreshed every heartbeat, removed on release. A sweeper claims an entry before it checks
 * for leases, and a holder checks for claims after writing its lease, so one of the two always
 * sees the other: either the sweeper finds the lease and keeps the entry, or the holder waits for
 * the removal to end (and then finds the entry gone, as if it had never been there).
 */
export class DataLeases implements LeaseHolder {
  readonly root: string;
  readonly #timing: Required<DataLeasesOptions>;

  constructor(root: string, options: DataLeasesOptions = {}) {
    this.root = resolve(root);
    this.#timing = { ...MARKER_TIMING, pollMs: 50, ...options };
  }

  async hold(entries: readonly string[]): Promise<Lease> {
    const paths = [...new Set(entries.map(entryPath))];
    const holder = holderName();
    const files = paths.map((entry) => ({
      entry,
      file: leaseFile(this.root, entry, holder),
      content: markerRecord(entry, holder),
    }));
    await mkdir(markerDir(this.root), { recursive: true });
    try {
      await Promise.all(files.map((f) => writeMarker(f.file, f.content)));
      await this.#whileBeingRemoved(paths);
    } catch (err) {
      await Promise.allSettled(files.map((f) => removeMarker(f.file)));
      throw err;
    }
    await touch(this.root, paths);
    return new HeldLease(this.root, files, this.#timing.heartbeatMs);
  }

  /** Waits out a removal of one of `paths` that started before the lease was written. */
  async #whileBeingRemoved(paths: string[]): Promise<void> {
    // A claim older than staleMs belongs to a sweeper that died: it is ignored like a stale lease.
    const until = Date.now() + this.#timing.staleMs;
    while (Date.now() < until) {
      const claims = await freshMarkers(this.root, CLAIM_SUFFIX, this.#timing.staleMs);
      if (!claims.some((claim) => paths.some((path) => overlaps(claim.entry, path)))) return;
      await sleep(this.#timing.pollMs);
    }
  }
}

class HeldLease implements Lease {
  readonly entries: readonly string[];
  readonly #timer: NodeJS.Timeout;
  #beating: Promise<void> = Promise.resolve();
  #released: Promise<void> | undefined;

  constructor(
    private readonly root: string,
    private readonly files: LeaseFile[],
    heartbeatMs: number,
  ) {
    this.entries = files.map((f) => f.entry);
    this.#timer = setInterval(() => {
      this.#beating = this.#beat();
    }, heartbeatMs);
    // A lease never keeps a process alive: its holder's own work does.
    this.#timer.unref();
  }

  /** Refreshes every lease file; one removed as stale (the holder was paused too long) is written again. */
  async #beat(): Promise<void> {
    const now = new Date();
    await Promise.allSettled(
      this.files.map((f) =>
        utimes(f.file, now, now).catch(() => (this.#released ? undefined : writeMarker(f.file, f.content))),
      ),
    );
  }

  release(): Promise<void> {
    this.#released ??= this.#release();
    return this.#released;
  }

  async #release(): Promise<void> {
    clearInterval(this.#timer);
    await this.#beating;
    // Touched while still leased, so no sweeper can remove the entry between the touch and the release.
    await touch(this.root, this.entries);
    await Promise.all(this.files.map((f) => removeMarker(f.file)));
  }
}

/**
 * Records a use of the entries that exist (their mtime), when a lease is taken and when it ends: a
 * sweeper's age limits then never reach an entry in use, and a mirror or layout that was only read
 * counts as recently used.
 */
async function touch(root: string, entries: readonly string[]): Promise<void> {
  const now = new Date();
  await Promise.allSettled(entries.map((entry) => utimes(join(root, entry), now, now)));
}

/** Runs `work` with `entries` held, and releases them however it ends. */
export async function whileHeld<T>(
  holder: LeaseHolder,
  entries: readonly string[],
  work: () => Promise<T>,
): Promise<T> {
  const lease = await holder.hold(entries);
  try {
    return await work();
  } finally {
    await lease.release();
  }
}
