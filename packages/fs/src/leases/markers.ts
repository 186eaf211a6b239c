import { createHash, randomBytes } from 'node:crypto';
import { readFile, readdir, stat, unlink, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join, posix } from 'node:path';
import { AppError } from '@gitops/errors';
import { FsErrorCodes } from '../errors.js';
import { pathProblem } from '../path-problem.js';

/**
 * The in-use markers of a data directory shared by processes and pods (docs/builder.md, "Data
 * directory and garbage collection"). All of them are small files in one flat directory:
 *
 * - `<key>.<holder>.lease`: a process uses the entry (and everything under it); its mtime is the
 *   holder's heartbeat, so the lease of a crashed holder goes stale on its own.
 * - `<key>.removing`: a sweeper is removing the entry; created exclusively, so one sweeper at a time.
 *
 * `<key>` is a hash of the entry's path; the file's content names the entry itself.
 */
export const MARKER_DIR = '.leases';

/** Where removed entries go before their files are deleted: a rename is instant, a delete is not. */
export const TRASH_DIR = '.trash';

export const LEASE_SUFFIX = '.lease';
export const CLAIM_SUFFIX = '.removing';

/** Heartbeat and staleness of every marker; holders and sweepers must agree on them. */
export const MARKER_TIMING = { heartbeatMs: 15_000, staleMs: 120_000 };

export interface MarkerRecord {
  /** The entry, relative to the data directory, `/`-separated. */
  entry: string;
  holder: string;
  pid: number;
  host: string;
  since: string;
}

/** A marker as read back: `entry` is undefined when its content could not be read (covers everything). */
export interface Marker {
  file: string;
  entry: string | undefined;
  mtimeMs: number;
}

/** The entry's path in canonical form; anything that could leave the data directory is refused. */
export function entryPath(entry: string): string {
  const normal = posix.normalize(entry).replace(/\/+$/, '');
  const problem =
    pathProblem(entry, 'the data directory') ??
    (normal === '.' ? 'names the data directory itself' : undefined);
  if (problem) throw new AppError(FsErrorCodes.outsideRoot, `data directory entry "${entry}" ${problem}`);
  return normal;
}

const keyOf = (entry: string) => createHash('sha256').update(entry).digest('hex').slice(0, 32);

export const markerDir = (root: string) => join(root, MARKER_DIR);
export const leaseFile = (root: string, entry: string, holder: string) =>
  join(markerDir(root), `${keyOf(entry)}.${holder}${LEASE_SUFFIX}`);
export const claimFile = (root: string, entry: string) =>
  join(markerDir(root), `${keyOf(entry)}${CLAIM_SUFFIX}`);

/** A fresh holder name per lease: host (the pod), pid and a random part, safe in a file name. */
export function holderName(): string {
  const host = hostname()
    .replace(/[^A-Za-z0-9-]/g, '-')
    .slice(0, 63);
  return `${host}-${process.pid}-${randomBytes(5).toString('hex')}`;
}

export function markerRecord(entry: string, holder: string): string {
  const record: MarkerRecord = {
    entry,
    holder,
    pid: process.pid,
    host: hostname(),
    since: new Date().toISOString(),
  };
  return JSON.stringify(record);
}

/** Whether a marker on `marked` concerns `entry`: the same path, or one inside the other. */
export function overlaps(marked: string | undefined, entry: string): boolean {
  if (marked === undefined) return true;
  return marked === entry || entry.startsWith(`${marked}/`) || marked.startsWith(`${entry}/`);
}

const isMissing = (err: unknown) => (err as NodeJS.ErrnoException).code === 'ENOENT';

async function readMarker(file: string): Promise<Marker | undefined> {
  try {
    const { mtimeMs } = await stat(file);
    const text = await readFile(file, 'utf8');
    let entry: string | undefined;
    try {
      entry = (JSON.parse(text) as MarkerRecord).entry;
    } catch {
      // Created but not yet written (a claim is written after its exclusive create): assume the worst.
    }
    return { file, entry: typeof entry === 'string' ? entry : undefined, mtimeMs };
  } catch (err) {
    if (isMissing(err)) return undefined;
    throw err;
  }
}

/** Every marker with `suffix` (fresh and stale), read once. */
export async function readMarkers(root: string, suffix: string): Promise<Marker[]> {
  const names = await readdir(markerDir(root)).catch((err) => {
    if (isMissing(err)) return [] as string[];
    throw err;
  });
  const markers = await Promise.all(
    names.filter((n) => n.endsWith(suffix)).map((n) => readMarker(join(markerDir(root), n))),
  );
  return markers.filter((m): m is Marker => m !== undefined);
}

export const isFresh = (marker: Pick<Marker, 'mtimeMs'>, staleMs: number, now = Date.now()) =>
  now - marker.mtimeMs < staleMs;

/** The markers with `suffix` whose holder is alive. */
export async function freshMarkers(root: string, suffix: string, staleMs: number): Promise<Marker[]> {
  const now = Date.now();
  return (await readMarkers(root, suffix)).filter((m) => isFresh(m, staleMs, now));
}

/** Writes a marker; `exclusive` fails with EEXIST when the file is already there. */
export async function writeMarker(file: string, content: string, exclusive = false): Promise<void> {
  await writeFile(file, content, exclusive ? { flag: 'wx' } : {});
}

export const removeMarker = (file: string) =>
  unlink(file).catch((err) => (isMissing(err) ? undefined : Promise.reject(err)));
