import { randomUUID } from 'node:crypto';
import { access, mkdir, rename, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type GitContext, runGit } from './run.js';

const exists = (path: string) =>
  access(path).then(
    () => true,
    () => false,
  );

/**
 * A bare repository at `mirror`, created once. It is built beside its place and renamed into it, so
 * processes racing to create it (replicas sharing a volume) keep whichever rename won. It names no
 * remote: fetches give the URL each time, so no URL (nor anything in it) is stored in its config.
 */
export async function ensureMirror(mirror: string, context: GitContext = {}): Promise<void> {
  if (await exists(`${mirror}/HEAD`)) return;
  await mkdir(dirname(mirror), { recursive: true });
  const fresh = `${mirror}.${randomUUID()}.tmp`;
  await runGit(['init', '--quiet', '--bare', fresh], context);
  await rename(fresh, mirror).catch(() => rm(fresh, { recursive: true, force: true }));
}

/**
 * Creates the mirror if needed, then brings every branch of `url` into it as it is there: moved and
 * force-pushed branches follow, deleted ones go. Tags and other refs of the mirror are left alone.
 */
export async function updateMirror(mirror: string, url: string, context: GitContext = {}): Promise<void> {
  await ensureMirror(mirror, context);
  const fetch = ['fetch', '--quiet', '--prune', '--no-tags', '--no-write-fetch-head'];
  await runGit(['--git-dir', mirror, ...fetch, '--', url, '+refs/heads/*:refs/heads/*'], context);
}
