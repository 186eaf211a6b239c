import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RevertConflict, commitAll, execGit, resolveCommit, revertCommit, runGit } from './index.js';
import { type Scratch, createScratch } from './test/scratch.js';

const BOT = { name: 'gitops bot', email: 'bot@gitops.example' };

describe('revertCommit', () => {
  let scratch: Scratch;
  let url: string;

  beforeAll(async () => {
    scratch = await createScratch();
    url = (await scratch.bareRepo()).url;
  });
  afterAll(() => scratch.dispose());

  const setImage = async (dir: string, image: string) => {
    await writeFile(join(dir, 'deploy.yaml'), `image: ${image}\n`);
    const result = await commitAll({ dir, message: `deploy ${image}`, author: BOT });
    if (result.status !== 'committed') throw new Error('expected a commit');
    return result.sha;
  };
  const image = (dir: string) => readFile(join(dir, 'deploy.yaml'), 'utf8');
  const clean = async (dir: string) => {
    expect((await runGit(['status', '--porcelain'], { cwd: dir })).trim()).toBe('');
    expect((await execGit(['rev-parse', '--verify', '--quiet', 'REVERT_HEAD'], { cwd: dir })).exitCode).toBe(
      1,
    );
  };

  it('commits the inverse of a commit with git’s message and the trailers, keeping history', async () => {
    const dir = await scratch.workClone(url);
    await setImage(dir, 'v1');
    const bad = await setImage(dir, 'v2');
    const result = await revertCommit({ dir, sha: bad, author: BOT, trailers: { 'Rollback-Of': bad } });
    expect(result).toEqual({ status: 'committed', sha: await resolveCommit(dir, 'HEAD') });
    expect(await image(dir)).toBe('image: v1\n');
    expect(await resolveCommit(dir, 'HEAD~1')).toBe(bad);
    const message = await runGit(['log', '-1', '--format=%B'], { cwd: dir });
    expect(message).toBe(`Revert "deploy v2"\n\nThis reverts commit ${bad}.\n\nRollback-Of: ${bad}\n\n`);
    await clean(dir);
  });

  it('answers nothing-to-commit for a commit reverted already, with no revert left in progress', async () => {
    const dir = await scratch.workClone(url);
    await setImage(dir, 'v3');
    const bad = await setImage(dir, 'v4');
    await revertCommit({ dir, sha: bad, author: BOT });
    const head = await resolveCommit(dir, 'HEAD');
    expect(await revertCommit({ dir, sha: bad, author: BOT })).toEqual({ status: 'nothing-to-commit' });
    expect(await resolveCommit(dir, 'HEAD')).toBe(head);
    await clean(dir);
  });

  it('throws RevertConflict naming the file when later commits changed the same lines, leaving the tree clean', async () => {
    const dir = await scratch.workClone(url);
    const bad = await setImage(dir, 'v5');
    await setImage(dir, 'v6');
    const head = await resolveCommit(dir, 'HEAD');
    const err: RevertConflict = await revertCommit({ dir, sha: bad, author: BOT }).catch((e) => e);
    expect(err).toMatchObject({
      name: 'RevertConflict',
      code: 'GITOPS_GIT_REVERT_CONFLICT',
      paths: ['deploy.yaml'],
    });
    expect(await resolveCommit(dir, 'HEAD')).toBe(head);
    expect(await image(dir)).toBe('image: v6\n');
    await clean(dir);
  });
});
