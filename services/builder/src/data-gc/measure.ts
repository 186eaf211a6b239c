import type { Stats } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { DataArea } from './areas.js';

export interface Measured {
  /** The apparent size of its files, each file (inode) counted once across one sweep. */
  bytes: number;
  /** Its last use: the newest mtime (or ctime, see DataArea.usedAt) of anything in it. */
  lastUsedMs: number;
}

interface Item {
  path: string;
  info: Stats;
}

const ifPresent = (err: unknown) =>
  (err as NodeJS.ErrnoException).code === 'ENOENT' ? undefined : Promise.reject(err);

/** What a directory holds, read without following symlinks; what vanished meanwhile is left out. */
async function children(dir: string): Promise<Item[]> {
  const names = (await readdir(dir).catch(ifPresent)) ?? [];
  const items = await Promise.all(
    names.map((name) => lstat(join(dir, name)).then((info) => ({ path: join(dir, name), info }), ifPresent)),
  );
  return items.filter((item): item is Item => item !== undefined);
}

/**
 * Walks an entry. `seen` holds the inodes of hard-linked files already counted in this sweep. An
 * entry removed while it is walked measures what was still there; undefined when nothing was.
 */
export async function measure(
  path: string,
  usedAt: DataArea['usedAt'],
  seen: Set<string>,
): Promise<Measured | undefined> {
  const info = await lstat(path).catch(ifPresent);
  if (!info) return undefined;
  const total: Measured = { bytes: 0, lastUsedMs: 0 };
  const count = ({ info }: Item) => {
    total.lastUsedMs = Math.max(total.lastUsedMs, info.mtimeMs, usedAt === 'ctime' ? info.ctimeMs : 0);
    if (info.isDirectory()) return;
    const inode = `${info.dev}:${info.ino}`;
    if (info.nlink > 1 && seen.has(inode)) return;
    if (info.nlink > 1) seen.add(inode);
    total.bytes += info.size;
  };
  count({ path, info });
  const pending = info.isDirectory() ? [path] : [];
  while (pending.length > 0) {
    for (const item of await children(pending.pop()!)) {
      count(item);
      if (item.info.isDirectory()) pending.push(item.path);
    }
  }
  return total;
}
