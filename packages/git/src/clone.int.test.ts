import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  checkoutDetached,
  clone,
  commitTime,
  ensureMirror,
  fetchCommit,
  resolveCommit,
  runGit,
} from './index.js';
import { type Scratch, commitAndPush, scratchWithRemote } from './test/scratch.js';

describe('clones and checkouts', () => {
  let scratch: Scratch;
  let url: string;
  let work: string;

  beforeAll(async () => {
    ({ scratch, url, work } = await scratchWithRemote());
  });
  afterAll(() => scratch.dispose());

  it('clones one branch, shallow, with its files checked out', async () => {
    await commitAndPush(work, { 'deploy.yaml': 'v1\n' }, 'production');
    const head = await commitAndPush(work, { 'deploy.yaml': 'v2\n' }, 'production');
    const dir = scratch.path('config');
    await clone({ source: url, dir, branch: 'production', depth: 1 });
    expect(await resolveCommit(dir, 'HEAD')).toBe(head);
    expect(await readFile(join(dir, 'deploy.yaml'), 'utf8')).toBe('v2\n');
    expect((await runGit(['rev-list', '--count', 'HEAD'], { cwd: dir })).trim()).toBe('1');
    expect((await runGit(['branch', '--show-current'], { cwd: dir })).trim()).toBe('production');
  });

  it('checks out an older sha, detached, in a clone sharing a mirror’s objects', async () => {
    const first = await commitAndPush(work, { 'app.txt': 'one\n' });
    await commitAndPush(work, { 'app.txt': 'two\n' });
    const mirror = scratch.path('mirror.git');
    await ensureMirror(mirror);
    await fetchCommit({ gitDir: mirror, url, sha: first, into: 'refs/gitops/p' });
    const dir = scratch.path('src');
    await clone({ source: mirror, dir, shared: true, noCheckout: true });
    await checkoutDetached(dir, first);
    expect(await resolveCommit(dir, 'HEAD')).toBe(first);
    expect(await readFile(join(dir, 'app.txt'), 'utf8')).toBe('one\n');
    expect(await readFile(join(dir, '.git', 'objects', 'info', 'alternates'), 'utf8')).toContain(mirror);
    expect(Math.abs((await commitTime(dir, first)).getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('refuses to overwrite local changes when checking out', async () => {
    const dir = scratch.path('local');
    await clone({ source: url, dir });
    const before = await resolveCommit(dir, 'HEAD~1');
    await writeFile(join(dir, 'app.txt'), 'edited\n');
    await expect(checkoutDetached(dir, before)).rejects.toMatchObject({
      name: 'GitError',
      command: 'checkout',
    });
    expect(await readFile(join(dir, 'app.txt'), 'utf8')).toBe('edited\n');
  });
});
