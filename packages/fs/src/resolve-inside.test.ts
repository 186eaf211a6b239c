import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveInside } from './resolve-inside.js';

let base: string;
let root: string;

/**
 * base/
 *   outside/secret
 *   root/            the root every case resolves in
 *   root-alias -> root
 */
beforeAll(async () => {
  base = await realpath(await mkdtemp(join(tmpdir(), 'fs-inside-')));
  root = join(base, 'root');
  await mkdir(join(base, 'outside'));
  await writeFile(join(base, 'outside/secret'), 'do not read');
  await mkdir(join(root, 'dir/sub'), { recursive: true });
  await writeFile(join(root, 'dir/file'), 'inside');
  await writeFile(join(root, 'plain'), 'a file, not a directory');
  const links: [string, string][] = [
    ['inner', 'dir'],
    ['inner-abs', join(root, 'dir')],
    ['dir/up', '..'],
    ['dir/upup', '../..'],
    ['itself', '.'],
    ['dangling-in', 'not-yet'],
    ['out', join(base, 'outside')],
    ['out-rel', '../outside'],
    ['dir/out-deep', '../../outside/secret'],
    ['dangling-out', join(base, 'outside/not-yet')],
    ['loop', 'loop'],
  ];
  for (const [path, target] of links) await symlink(target, join(root, path));
  await symlink('root', join(base, 'root-alias'));
});

afterAll(() => rm(base, { recursive: true, force: true }));

const inside = (path: string) => ({ inside: path });
const refused = (message: string) => ({ refused: message });

describe('resolveInside', () => {
  it.each<[string, { inside: string } | { refused: string }]>([
    ['dir/file', inside('dir/file')],
    ['./dir//file', inside('dir/file')],
    ['.', inside('')],
    ['inner/file', inside('dir/file')],
    ['inner-abs/sub', inside('dir/sub')],
    ['dir/up/dir/file', inside('dir/file')],
    ['itself/dir', inside('dir')],
    ['new/deeper/file', inside('new/deeper/file')],
    ['inner/new-file', inside('dir/new-file')],
    ['plain/below', inside('plain/below')],
    ['dangling-in', inside('not-yet')],
    ['', refused('x "" is empty: it must name a path inside the root')],
    ['/etc/passwd', refused('x "/etc/passwd" must be a relative path inside the root')],
    ['../outside/secret', refused('x "../outside/secret" leaves the root')],
    ['dir/../../x', refused('x "dir/../../x" leaves the root')],
    [
      'dir/../dir/file',
      refused('x "dir/../dir/file" has a ".." segment: a path inside the root may only go down'),
    ],
    ['dir/\0file', refused('x "dir/\\u0000file" contains a NUL byte')],
    ['out', refused('x "out" resolves outside the root through a symlink')],
    ['out/secret', refused('x "out/secret" resolves outside the root through a symlink at "out"')],
    [
      'out-rel/secret',
      refused('x "out-rel/secret" resolves outside the root through a symlink at "out-rel"'),
    ],
    [
      'out/not-yet/file',
      refused('x "out/not-yet/file" resolves outside the root through a symlink at "out"'),
    ],
    ['dir/upup', refused('x "dir/upup" resolves outside the root through a symlink')],
    ['inner/out-deep', refused('x "inner/out-deep" resolves outside the root through a symlink')],
    ['dangling-out', refused('x "dangling-out" resolves outside the root through a symlink')],
    ['loop/file', refused('x "loop/file" goes through a symlink loop')],
  ])('%j: %j', async (path, expected) => {
    const resolving = resolveInside(root, path, { what: 'x', within: 'the root' });
    if ('inside' in expected) await expect(resolving).resolves.toBe(join(root, expected.inside));
    else {
      await expect(resolving).rejects.toMatchObject({
        code: 'GITOPS_FS_PATH_OUTSIDE_ROOT',
        statusCode: 422,
        message: expected.refused,
      });
    }
  });

  it('answers real paths for a root reached through a symlink, and names the root by its path by default', async () => {
    const alias = join(base, 'root-alias');
    await expect(resolveInside(alias, 'inner/file', { what: 'x' })).resolves.toBe(join(root, 'dir/file'));
    await expect(resolveInside(alias, '../x', { what: 'report' })).rejects.toThrow(
      `report "../x" leaves ${JSON.stringify(alias)}`,
    );
  });

  it('checks a path under a root that does not exist yet', async () => {
    const missing = join(base, 'data');
    await expect(resolveInside(missing, 'layouts/p1', { what: 'x' })).resolves.toBe(
      join(missing, 'layouts/p1'),
    );
  });

  it('throws the code and status its caller asks for, and refuses the root itself when told to', async () => {
    const options = {
      what: 'image layout',
      within: 'GITOPS_DATA_DIR',
      code: 'GITOPS_X_BAD',
      statusCode: 400,
    };
    await expect(resolveInside(root, 'out', options)).rejects.toMatchObject({
      code: 'GITOPS_X_BAD',
      statusCode: 400,
    });
    for (const path of ['.', 'itself', 'dir/up']) {
      await expect(resolveInside(root, path, { ...options, allowRoot: false })).rejects.toMatchObject({
        code: 'GITOPS_X_BAD',
        message: `image layout ${JSON.stringify(path)} is GITOPS_DATA_DIR itself`,
      });
    }
  });
});
