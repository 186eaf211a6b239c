import { randomUUID } from 'node:crypto';
import { mkdir, readdir, rename, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import {
  CLAIM_SUFFIX,
  LEASE_SUFFIX,
  MARKER_TIMING,
  TRASH_DIR,
  claimFile,
  entryPath,
  freshMarkers,
  holderName,
  isFresh,
  markerDir,
  markerRecord,
  overlaps,
  readMarkers,
  removeMarker,
  writeMarker,
} from './markers.js';
import { removeTree } from './remove-tree.js';

/**
 * What became of an entry: `removed`; `in-use` (a live lease covers it, so it stays); `busy` (another
 * sweeper is removing it right now); `gone` (it was not there).
 */
export type RemovalOutcome = 'removed' | 'in-use' | 'busy' | 'gone';

type Detached = { kind: 'gone' } | { kind: 'removed' } | { kind: 'trashed'; path: string };

const errno = (err: unknown) => (err as NodeJS.ErrnoException).code;

/**
 * Removes an entry of the data directory (`root`) unless a live lease covers it, safely against
 * holders and other sweepers in other processes: claim the entry exclusively, look for leases,
 * rename it into the trash, drop the claim, then delete the trash at leisure.
 */
export async function removeUnlessInUse(
  root: string,
  entry: string,
  staleMs = MARKER_TIMING.staleMs,
): Promise<RemovalOutcome> {
  const dataRoot = resolve(root);
  const path = entryPath(entry);
  const claim = await takeClaim(dataRoot, path, staleMs);
  if (!claim) return 'busy';
  let detached: Detached;
  try {
    const leases = await freshMarkers(dataRoot, LEASE_SUFFIX, staleMs);
    if (leases.some((lease) => overlaps(lease.entry, path))) return 'in-use';
    detached = await detach(dataRoot, path);
  } finally {
    await removeMarker(claim);
  }
  if (detached.kind === 'gone') return 'gone';
  if (detached.kind === 'trashed') await removeTree(detached.path);
  return 'removed';
}

/** The claim file, or undefined when another sweeper holds it (a stale one is cleared for next time). */
async function takeClaim(root: string, entry: string, staleMs: number): Promise<string | undefined> {
  const file = claimFile(root, entry);
  await mkdir(markerDir(root), { recursive: true });
  try {
    await writeMarker(file, markerRecord(entry, holderName()), true);
    return file;
  } catch (err) {
    if (errno(err) !== 'EEXIST') {
      await removeMarker(file).catch(() => undefined);
      throw err;
    }
    const held = await stat(file).catch(() => undefined);
    if (held && !isFresh(held, staleMs)) await removeMarker(file);
    return undefined;
  }
}

async function detach(root: string, entry: string): Promise<Detached> {
  const source = join(root, entry);
  const trash = join(root, TRASH_DIR);
  await mkdir(trash, { recursive: true });
  const target = join(trash, `${Date.now()}-${randomUUID()}`);
  try {
    await rename(source, target);
    return { kind: 'trashed', path: target };
  } catch (err) {
    if (errno(err) === 'ENOENT') return { kind: 'gone' };
    // Another file system (a separate mount under the data directory): deleted in place, still claimed.
    if (errno(err) !== 'EXDEV') throw err;
    await removeTree(source);
    return { kind: 'removed' };
  }
}

/**
 * Clears what dead processes left: trash a crashed sweeper did not finish deleting, and markers whose
 * heartbeat stopped. Trash younger than `staleMs` may still be being deleted by its sweeper.
 */
export async function pruneLeftovers(root: string, staleMs = MARKER_TIMING.staleMs): Promise<void> {
  const dataRoot = resolve(root);
  const now = Date.now();
  const trash = join(dataRoot, TRASH_DIR);
  const names = await readdir(trash).catch(() => [] as string[]);
  for (const name of names) {
    const since = Number(name.split('-')[0]);
    if (!(now - since < staleMs)) await removeTree(join(trash, name));
  }
  const markers = [
    ...(await readMarkers(dataRoot, LEASE_SUFFIX)),
    ...(await readMarkers(dataRoot, CLAIM_SUFFIX)),
  ];
  await Promise.all(markers.filter((m) => !isFresh(m, staleMs, now)).map((m) => removeMarker(m.file)));
}

/** The entries under live leases right now (undefined: a lease whose content could not be read). */
export async function leasedEntries(
  root: string,
  staleMs = MARKER_TIMING.staleMs,
): Promise<(string | undefined)[]> {
  return (await freshMarkers(resolve(root), LEASE_SUFFIX, staleMs)).map((m) => m.entry);
}
