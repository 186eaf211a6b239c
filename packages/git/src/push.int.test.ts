import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type PushRejected,
  checkoutDetached,
  commitAll,
  fetchBranchHead,
  pushBranch,
  resolveCommit,
  runGit,
} from './index.js';
import { type Scratch, commitAndPush, createScratch } from './test/scratch.js';

const BOT = { name: 'gitops bot', email: 'bot@gitops.example' };

describe('pushing a branch', () => {
  let scratch: Scratch;
  let remote: { dir: string; url: string };

  beforeAll(async () => {
    scratch = await createScratch();
    remote = await scratch.bareRepo();
    await commitAndPush(await scratch.workClone(remote.url), { 'a.yaml': 'a: 1\n', 'b.yaml': 'b: 1\n' });
  });
  afterAll(() => scratch.dispose());

  const edit = async (dir: string, file: string, content: string) => {
    await writeFile(join(dir, file), content);
    const result = await commitAll({ dir, message: `set ${file}`, author: BOT });
    if (result.status !== 'committed') throw new Error('expected a commit');
    return result.sha;
  };
  const remoteHead = () =>
    runGit(['--git-dir', remote.dir, 'rev-parse', 'refs/heads/main']).then((s) => s.trim());

  it('pushes the commit to the branch', async () => {
    const dir = await scratch.workClone(remote.url);
    const sha = await edit(dir, 'a.yaml', 'a: 2\n');
    await pushBranch({ dir, remote: 'origin', branch: 'main' });
    expect(await remoteHead()).toBe(sha);
  });

  it('rejects as non-fast-forward when another clone pushed first, and succeeds again from the new head', async () => {
    const mine = await scratch.workClone(remote.url);
    const theirs = await scratch.workClone(remote.url);
    const theirSha = await edit(theirs, 'b.yaml', 'b: 2\n');
    await pushBranch({ dir: theirs, remote: remote.url, branch: 'main' });
    await edit(mine, 'a.yaml', 'a: 3\n');

    const err: PushRejected = await pushBranch({ dir: mine, remote: 'origin', branch: 'main' }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({
      name: 'PushRejected',
      code: 'GITOPS_GIT_PUSH_REJECTED',
      retryable: true,
      reason: 'non-fast-forward',
      branch: 'main',
    });
    expect(await remoteHead()).toBe(theirSha);

    const head = await fetchBranchHead({ dir: mine, remote: 'origin', branch: 'main' });
    expect(head).toBe(theirSha);
    await checkoutDetached(mine, head);
    const retried = await edit(mine, 'a.yaml', 'a: 3\n');
    await pushBranch({ dir: mine, remote: 'origin', branch: 'main' });
    expect(await remoteHead()).toBe(retried);
    expect(await resolveCommit(mine, 'HEAD~1')).toBe(theirSha);
  });

  it('rejects with the server’s reason when a hook declines the push', async () => {
    const hooked = await scratch.bareRepo('hooked');
    await commitAndPush(await scratch.workClone(hooked.url), { 'a.yaml': 'a: 1\n' });
    const hook = join(hooked.dir, 'hooks', 'pre-receive');
    await writeFile(hook, '#!/bin/sh\necho "main is protected" >&2\nexit 1\n', { mode: 0o755 });
    const dir = await scratch.workClone(hooked.url);
    await edit(dir, 'a.yaml', 'a: 2\n');
    await expect(pushBranch({ dir, remote: 'origin', branch: 'main' })).rejects.toMatchObject({
      name: 'PushRejected',
      reason: 'rejected',
      detail: 'pre-receive hook declined',
    });
  });

  it('fails with a GitError, not a rejection, when the remote cannot be reached', async () => {
    const dir = await scratch.workClone(remote.url);
    await expect(
      pushBranch({ dir, remote: 'file:///nonexistent/repo.git', branch: 'main' }),
    ).rejects.toMatchObject({ name: 'GitError', command: 'push' });
  });

  it('fails as not-found when fetching a branch the remote does not have', async () => {
    const dir = await scratch.workClone(remote.url);
    await expect(fetchBranchHead({ dir, remote: 'origin', branch: 'gone' })).rejects.toMatchObject({
      name: 'GitError',
      failure: 'not-found',
    });
  });
});
