import { rm } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { makeContext } from '../test/context-fixture.js';
import { readContext } from './walk.js';

const dirs: string[] = [];
const context = async (files: Parameters<typeof makeContext>[0]) => {
  const dir = await makeContext(files);
  dirs.push(dir);
  return dir;
};
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
});
const read = (dir: string, maxBytes = 1 << 20) => readContext(dir, { dockerfile: 'Dockerfile', maxBytes });

describe('readContext', () => {
  it('lists files, directories and symlinks in sorted order with sizes and executable bits', async () => {
    const dir = await context({
      'b.txt': 'bb',
      'a/run.sh': { content: '#!/bin/sh\n', executable: true },
      'a/link': { symlink: 'run.sh' },
    });
    const { entries, size } = await read(dir);
    expect([...entries.values()]).toEqual([
      { path: 'a', type: 'dir', size: 0, executable: true },
      { path: 'a/link', type: 'symlink', size: 0, executable: false, target: 'run.sh' },
      { path: 'a/run.sh', type: 'file', size: 10, executable: true },
      { path: 'b.txt', type: 'file', size: 2, executable: false },
    ]);
    expect(size).toBe(12);
  });

  it('leaves out what .dockerignore excludes, keeping its exceptions', async () => {
    const dir = await context({
      '.dockerignore': 'node_modules\n!node_modules/keep\n*.log\n',
      'node_modules/drop/index.js': 'x',
      'node_modules/keep/index.js': 'y',
      'debug.log': 'z',
      'src/app.log': 'kept: *.log is anchored at the root',
    });
    const paths = [...(await read(dir)).entries.keys()];
    expect(paths).toEqual([
      '.dockerignore',
      'node_modules/keep',
      'node_modules/keep/index.js',
      'src',
      'src/app.log',
    ]);
  });

  it('prefers <Dockerfile>.dockerignore to .dockerignore', async () => {
    const dir = await context({ '.dockerignore': 'a\n', 'Dockerfile.dockerignore': 'b\n', a: '1', b: '2' });
    expect([...(await read(dir)).entries.keys()]).toContain('a');
    expect([...(await read(dir)).entries.keys()]).not.toContain('b');
  });

  it('refuses a symlink that points outside the context, naming it', async () => {
    const dir = await context({ 'src/secret': { symlink: '../../../etc/passwd' } });
    await expect(read(dir)).rejects.toMatchObject({
      code: 'GITOPS_BUILD_CONTEXT_SYMLINK',
      message: expect.stringContaining('symlink src/secret in the build context points outside it'),
    });
  });

  it('refuses an absolute symlink to a host path, and one that escapes through a symlinked directory', async () => {
    const absolute = await context({ passwd: { symlink: '/etc/passwd' } });
    await expect(read(absolute)).rejects.toMatchObject({ code: 'GITOPS_BUILD_CONTEXT_SYMLINK' });
    const sneaky = await context({ here: { symlink: '.' }, out: { symlink: 'here/../..' } });
    await expect(read(sneaky)).rejects.toMatchObject({ message: expect.stringContaining('symlink out ') });
  });

  it('ignores an escaping symlink that .dockerignore excludes', async () => {
    const dir = await context({ '.dockerignore': 'secret\n', secret: { symlink: '/etc/passwd' } });
    expect([...(await read(dir)).entries.keys()]).toEqual(['.dockerignore']);
  });

  it('refuses a context whose files add up to more than the limit', async () => {
    const dir = await context({ a: 'x'.repeat(600), b: 'y'.repeat(600) });
    await expect(read(dir, 1000)).rejects.toMatchObject({
      code: 'GITOPS_BUILD_CONTEXT_TOO_LARGE',
      message: 'the build context is larger than 1000 bytes (after .dockerignore)',
    });
    await expect(read(dir, 1200)).resolves.toMatchObject({ size: 1200 });
  });

  it('does not count excluded files against the limit', async () => {
    const dir = await context({ '.dockerignore': 'big\n', big: 'x'.repeat(5000), small: 'y' });
    await expect(read(dir, 100)).resolves.toMatchObject({ size: 5 });
  });
});
