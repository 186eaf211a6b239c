import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { BuildFailure } from './errors.js';
import { pathInside, readRepoFile, requirePathInside } from './safe-path.js';

// The containment rules themselves are tested in packages/fs; these are what the builder adds.
describe('paths a repository names', () => {
  let root: string;

  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'builder-root-'));
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub/file'), 'inside');
  });

  it('reads a file inside, also through a symlink that stays inside', async () => {
    await symlink('sub', join(root, 'alias'));
    expect(await readRepoFile(root, 'alias/file', 'file')).toBe('inside');
  });

  it('fails the build as invalid-config for a path that leaves the repository', async () => {
    await symlink('/etc/passwd', join(root, 'absolute'));
    const escaping = readRepoFile(root, 'absolute', '.gitops.yaml');
    await expect(escaping).rejects.toBeInstanceOf(BuildFailure);
    await expect(escaping).rejects.toMatchObject({
      reason: 'invalid-config',
      message: '.gitops.yaml "absolute" resolves outside the repository through a symlink',
    });
    await expect(pathInside(root, '../x', 'workdir')).rejects.toMatchObject({
      reason: 'invalid-config',
      message: 'workdir "../x" leaves the repository',
    });
  });

  it('answers undefined for a missing path, and a clear failure where one is required', async () => {
    expect(await pathInside(root, 'nope', 'report')).toBeUndefined();
    await expect(requirePathInside(root, 'nope', 'workdir')).rejects.toThrow('workdir "nope" does not exist');
  });
});
