import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A file's content, an executable file, or a symlink to create in a test build context. */
export type FixtureEntry = string | Buffer | { content: string; executable: true } | { symlink: string };

/** Creates a build context in a new temp directory from paths (relative, `/`-separated) to entries. */
export async function makeContext(files: Record<string, FixtureEntry>, parent = tmpdir()): Promise<string> {
  const dir = await mkdtemp(join(parent, 'gitops-context-'));
  for (const [path, entry] of Object.entries(files)) {
    const file = join(dir, path);
    await mkdir(dirname(file), { recursive: true });
    if (typeof entry === 'string' || Buffer.isBuffer(entry)) await writeFile(file, entry);
    else if ('symlink' in entry) await symlink(entry.symlink, file);
    else {
      await writeFile(file, entry.content);
      await chmod(file, 0o755);
    }
  }
  return dir;
}
