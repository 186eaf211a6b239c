import { readdir, stat } from 'node:fs/promises';
import { join, posix } from 'node:path';

export type AreaName = 'cache' | 'buildah' | 'mirrors' | 'layouts' | 'logs' | 'results' | 'workspaces';

/** What the collector removes as one piece in an area of GITOPS_DATA_DIR (docs/builder.md). */
export interface DataArea {
  name: AreaName;
  /** The area's directory, relative to the data directory. */
  dir: string;
  /** How deep its entries sit under `dir` (0: the directory itself), or `git`: the `*.git` directories, at any depth. */
  depth: number | 'git';
  /**
   * What marks a use: the newest mtime in the entry, or, for cached base-image blobs, also the ctime:
   * a build uses a cached blob by hard-linking it into its layout, which changes the ctime only.
   */
  usedAt: 'mtime' | 'ctime';
}

/** The shared stores of the image drivers: a build holds them for its image step only. */
export const IMAGE_STORES = ['cache', 'buildah'];

/**
 * In scan order: a file hard-linked into several entries counts once, in the first entry that has
 * it, so a base layer counts in the cache and not again in every layout linked to it.
 */
export const DATA_AREAS: readonly DataArea[] = [
  // cache/blobs/sha256/<hex>: one entry per blob (image/native/base-image.ts).
  { name: 'cache', dir: 'cache', depth: 3, usedAt: 'ctime' },
  // buildah's storage root (image/buildah): only buildah itself can take it apart, so it goes whole.
  { name: 'buildah', dir: 'buildah', depth: 0, usedAt: 'mtime' },
  { name: 'mirrors', dir: 'mirrors', depth: 'git', usedAt: 'mtime' },
  { name: 'layouts', dir: 'images', depth: 2, usedAt: 'mtime' },
  { name: 'logs', dir: 'logs', depth: 2, usedAt: 'mtime' },
  { name: 'results', dir: 'results', depth: 2, usedAt: 'mtime' },
  { name: 'workspaces', dir: 'workspaces', depth: 1, usedAt: 'mtime' },
];

/** Deeper than any repository path a mirror is kept under (`mirrors/<host>/<group>/…/<name>.git`). */
const MAX_MIRROR_DEPTH = 12;

async function subdirectories(root: string, dir: string): Promise<string[]> {
  const found = await readdir(join(root, dir), { withFileTypes: true }).catch(() => []);
  return found.filter((d) => d.isDirectory()).map((d) => posix.join(dir, d.name));
}

/** The area's entries, relative to the data directory; none when the area does not exist. */
export async function listEntries(root: string, area: DataArea): Promise<string[]> {
  if (area.depth === 0) return (await stat(join(root, area.dir)).catch(() => undefined)) ? [area.dir] : [];
  if (area.depth === 'git') return bareRepositories(root, area.dir, MAX_MIRROR_DEPTH);
  let dirs = [area.dir];
  for (let level = 1; level < area.depth; level++) {
    dirs = (await Promise.all(dirs.map((dir) => subdirectories(root, dir)))).flat();
  }
  const entries = await Promise.all(
    dirs.map(async (dir) =>
      (await readdir(join(root, dir)).catch(() => [])).map((name) => posix.join(dir, name)),
    ),
  );
  return entries.flat();
}

async function bareRepositories(root: string, dir: string, depth: number): Promise<string[]> {
  if (depth === 0) return [];
  const found: string[] = [];
  for (const sub of await subdirectories(root, dir)) {
    if (sub.endsWith('.git')) found.push(sub);
    // `<name>.git.<uuid>.tmp`: a mirror being created (@gitops/git ensureMirror), not yet in place.
    else if (!sub.endsWith('.tmp')) found.push(...(await bareRepositories(root, sub, depth - 1)));
  }
  return found;
}
