import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type GitContext,
  configEntries,
  ensureMirror,
  fetchCommit,
  hasCommit,
  hermeticEnv,
  runGit,
  updateMirror,
} from './index.js';
import { type Scratch, commitAndPush, scratchWithRemote } from './test/scratch.js';

describe('a bare mirror fetching one commit', () => {
  let scratch: Scratch;
  let url: string;
  let work: string;

  beforeAll(async () => {
    ({ scratch, url, work } = await scratchWithRemote());
  });
  afterAll(() => scratch.dispose());

  const newMirror = async () => {
    const mirror = scratch.path('mirror.git');
    await ensureMirror(mirror);
    return mirror;
  };
  const refOf = (mirror: string, ref: string) =>
    runGit(['--git-dir', mirror, 'rev-parse', ref]).then((s) => s.trim());

  it('fetches exactly the sha asked for, not the commits pushed after it', async () => {
    const first = await commitAndPush(work, { 'app.txt': 'one\n' });
    const later = await commitAndPush(work, { 'app.txt': 'two\n' });
    const mirror = await newMirror();
    const fetched = await fetchCommit({ gitDir: mirror, url, sha: first, into: 'refs/gitops/p1' });
    expect(fetched).toBe('by-sha');
    expect(await refOf(mirror, 'refs/gitops/p1')).toBe(first);
    expect(await hasCommit(mirror, later)).toBe(false);
  });

  it('fetches a shallow commit with depth 1: that commit and none of its history', async () => {
    await commitAndPush(work, { 'app.txt': 'three\n' });
    const sha = await commitAndPush(work, { 'app.txt': 'four\n' });
    const mirror = await newMirror();
    await fetchCommit({ gitDir: mirror, url, sha, into: 'refs/gitops/p2', depth: 1 });
    expect((await runGit(['--git-dir', mirror, 'rev-parse', '--is-shallow-repository'])).trim()).toBe('true');
    expect((await runGit(['--git-dir', mirror, 'rev-list', '--count', sha])).trim()).toBe('1');
  });

  it('does not fetch a commit the mirror has, and still points the ref at it', async () => {
    const sha = await commitAndPush(work, { 'app.txt': 'five\n' });
    const mirror = await newMirror();
    await fetchCommit({ gitDir: mirror, url, sha, into: 'refs/gitops/a' });
    const unreachable = { url: 'file:///nonexistent/repo.git' };
    expect(await fetchCommit({ gitDir: mirror, ...unreachable, sha, into: 'refs/gitops/b' })).toBe('present');
    expect(await refOf(mirror, 'refs/gitops/b')).toBe(sha);
  });

  it('throws CommitNotFound naming the sha and the repository when the remote lacks it', async () => {
    await commitAndPush(work, { 'app.txt': 'six\n' });
    const absent = 'f'.repeat(40);
    const mirror = await newMirror();
    await expect(
      fetchCommit({ gitDir: mirror, url, sha: absent, into: 'refs/gitops/x' }),
    ).rejects.toMatchObject({
      name: 'CommitNotFound',
      code: 'GITOPS_GIT_COMMIT_NOT_FOUND',
      retryable: false,
      message: `commit ${absent} is not in ${url}`,
    });
  });

  it('fetches the fallback ref when the server refuses a fetch by sha', async () => {
    const older = await commitAndPush(work, { 'app.txt': 'seven\n' });
    await commitAndPush(work, { 'app.txt': 'eight\n' });
    // Protocol v0 without uploadpack.allowReachableSHA1InWant: the server sends advertised tips only.
    const v0: GitContext = {
      access: { env: { ...hermeticEnv(), ...configEntries({}, [['protocol.version', '0']]) }, secrets: [] },
    };
    const mirror = await newMirror();
    const request = { gitDir: mirror, url, sha: older, into: 'refs/gitops/p3', ...v0 };
    await expect(fetchCommit(request)).rejects.toMatchObject({ name: 'CommitNotFound' });
    expect(await fetchCommit({ ...request, fallbackRef: 'refs/heads/main' })).toBe('by-ref');
    expect(await refOf(mirror, 'refs/gitops/p3')).toBe(older);
  });

  it('updates every branch of the mirror as it is on the remote, deleted ones included', async () => {
    const main = await commitAndPush(work, { 'app.txt': 'nine\n' });
    const feature = await commitAndPush(work, { 'feature.txt': 'x\n' }, 'feature');
    const mirror = scratch.path('mirror.git');
    await updateMirror(mirror, url);
    expect([await refOf(mirror, 'refs/heads/main'), await refOf(mirror, 'refs/heads/feature')]).toEqual([
      main,
      feature,
    ]);
    await runGit(['push', '--quiet', 'origin', ':refs/heads/feature'], { cwd: work });
    await updateMirror(mirror, url);
    const branches = await runGit(['--git-dir', mirror, 'for-each-ref', '--format=%(refname)', 'refs/heads']);
    expect(branches.trim()).toBe('refs/heads/main');
  });

  it('keeps one mirror when several processes create it at once', async () => {
    const mirror = scratch.path('mirror.git');
    await Promise.all([ensureMirror(mirror), ensureMirror(mirror), ensureMirror(mirror)]);
    expect((await runGit(['--git-dir', mirror, 'rev-parse', '--is-bare-repository'])).trim()).toBe('true');
    expect((await readdir(scratch.root)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });
});
