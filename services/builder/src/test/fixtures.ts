import { cp, mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';

/** services/builder/test/fixtures */
export const FIXTURES = resolve(import.meta.dirname, '../../test/fixtures');

/** A fresh copy of a fixture project in a temp directory, for a test to run or change. */
export async function copyFixture(name: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), `builder-${name}-`));
  await cp(join(FIXTURES, name), dir, { recursive: true });
  return dir;
}

/** Every file of a fixture project as `{path: content}`, to commit it with makeCommit. */
export async function fixtureFiles(name: string): Promise<Record<string, string>> {
  const root = join(FIXTURES, name);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files: Record<string, string> = {};
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files[relative(root, path)] = await readFile(path, 'utf8');
  }
  return files;
}
