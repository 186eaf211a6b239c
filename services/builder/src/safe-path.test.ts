import { mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { pathInside, readRepoFile, requirePathInside } from './safe-path.js';

describe('paths a repository names', () => {
  let outside: string;
  let root: string;

  beforeEach(async () => {
    outside = await mkdtemp(join(tmpdir(), 'builder-outside-'));
    await writeFile(join(outside, 'secret'), 'do not read');
    root = await mkdtemp(join(tmpdir(), 'builder-root-'));
    await mkdir(join(root, 'sub'));
    await writeFile(join(root, 'sub/file'), 'inside');
  });

  it('resolves a path inside, also through a symlink that stays inside', async () => {
    await symlink('sub', join(root, 'alias'));
    expect(await readRepoFile(root, 'alias/file', 'file')).toBe('inside');
  });

  it('refuses a symlink that points outside, absolute or relative', async () => {
    await symlink(join(outside, 'secret'), join(root, 'absolute'));
    await symlink('../'.repeat(10) + outside.slice(1), join(root, 'sub/relative'));
    await expect(readRepoFile(root, 'absolute', '.gitops.yaml')).rejects.toMatchObject({
      reason: 'invalid-config',
      message: '.gitops.yaml "absolute" resolves outside the repository through a symlink',
    });
    await expect(pathInside(root, 'sub/relative/secret', 'report')).rejects.toThrow(/outside the repository/);
  });

  it('refuses .. and absolute paths before touching the filesystem', async () => {
    await expect(pathInside(root, '../x', 'workdir')).rejects.toThrow(
      'workdir "../x" must be a relative path',
    );
    await expect(pathInside(root, '/etc', 'workdir')).rejects.toThrow('must be a relative path');
  });

  it('answers undefined for a missing path, and a clear failure where one is required', async () => {
    expect(await pathInside(root, 'nope', 'report')).toBeUndefined();
    await expect(requirePathInside(root, 'nope', 'workdir')).rejects.toThrow('workdir "nope" does not exist');
  });
});
