import { chmod, lstat, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * Removes a file or directory tree whatever is in it. Some tools write read-only directories (Go's
 * module cache) whose entries `rm` cannot unlink, so write permission is given back first on failure.
 */
export async function removeTree(path: string): Promise<void> {
  try {
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    await allowWrites(path).catch(() => undefined);
    await rm(path, { recursive: true, force: true, maxRetries: 3 });
  }
}

async function allowWrites(dir: string): Promise<void> {
  const info = await lstat(dir);
  if (!info.isDirectory()) return;
  await chmod(dir, info.mode | 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) await allowWrites(join(dir, entry.name));
  }
}
