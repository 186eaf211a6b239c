import { execFile } from 'node:child_process';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commitAll, execGit, resolveCommit, runGit } from './index.js';
import { AUTHOR, type Scratch, commitAndPush, createScratch } from './test/scratch.js';

const BOT = { name: 'gitops bot', email: 'bot@gitops.example' };

describe('commitAll', () => {
  let scratch: Scratch;
  let url: string;

  beforeAll(async () => {
    scratch = await createScratch();
    url = (await scratch.bareRepo()).url;
    await commitAndPush(await scratch.workClone(url), { 'deploy.yaml': 'image: v1\n', 'old.yaml': 'x\n' });
  });
  afterAll(() => scratch.dispose());

  const freshClone = () => scratch.workClone(url);
  const show = (dir: string, format: string) => runGit(['log', '-1', `--format=${format}`], { cwd: dir });

  it('commits new, changed and deleted files with the identity and the trailers', async () => {
    const dir = await freshClone();
    await writeFile(join(dir, 'deploy.yaml'), 'image: v2\n');
    await writeFile(join(dir, 'new.yaml'), 'y\n');
    await rm(join(dir, 'old.yaml'));
    const result = await commitAll({
      dir,
      message: 'deploy app v2\n\n# the image pushed by pipeline p-1',
      author: BOT,
      trailers: { 'Pipeline-Id': 'p-1', 'Source-Commit': 'abc123' },
    });
    expect(result).toEqual({ status: 'committed', sha: await resolveCommit(dir, 'HEAD') });
    expect(await show(dir, '%(trailers)')).toBe('Pipeline-Id: p-1\nSource-Commit: abc123\n\n');
    expect(await show(dir, '%an <%ae>|%cn <%ce>')).toBe(
      'gitops bot <bot@gitops.example>|gitops bot <bot@gitops.example>\n',
    );
    expect(await show(dir, '%B')).toContain('# the image pushed by pipeline p-1');
    const changed = await runGit(['show', '--name-status', '--format=', 'HEAD'], { cwd: dir });
    expect(changed.trim().split('\n').sort()).toEqual(['A\tnew.yaml', 'D\told.yaml', 'M\tdeploy.yaml']);
  });

  it('takes a committer apart from the author', async () => {
    const dir = await freshClone();
    await writeFile(join(dir, 'deploy.yaml'), 'image: v3\n');
    await commitAll({ dir, message: 'm', author: AUTHOR, committer: BOT });
    expect(await show(dir, '%an|%cn')).toBe(`${AUTHOR.name}|${BOT.name}\n`);
  });

  it('answers nothing-to-commit and makes no empty commit when nothing changed', async () => {
    const dir = await freshClone();
    const head = await resolveCommit(dir, 'HEAD');
    await writeFile(join(dir, 'deploy.yaml'), await readFile(join(dir, 'deploy.yaml')));
    expect(await commitAll({ dir, message: 'no-op', author: BOT })).toEqual({ status: 'nothing-to-commit' });
    expect(await resolveCommit(dir, 'HEAD')).toBe(head);
  });

  it('refuses a trailer whose value would start a new line', async () => {
    const dir = await freshClone();
    await writeFile(join(dir, 'deploy.yaml'), 'image: v4\n');
    const trailers = { 'Pipeline-Id': 'p-1\nSigned-off-by: someone else' };
    await expect(commitAll({ dir, message: 'm', author: BOT, trailers })).rejects.toMatchObject({
      code: 'GITOPS_GIT_INVALID_TRAILER',
    });
  });

  it('signs with an SSH key, and git verify-commit accepts it against the allowed signers', async () => {
    const key = scratch.path('signing-key');
    await promisify(execFile)('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'bot', '-f', key]);
    const allowedSigners = scratch.path('allowed-signers');
    await writeFile(allowedSigners, `${BOT.email} ${await readFile(`${key}.pub`, 'utf8')}`);
    const dir = await freshClone();
    await writeFile(join(dir, 'deploy.yaml'), 'image: v5\n');
    await commitAll({ dir, message: 'signed', author: BOT, signingKeyFile: key });
    const verify = ['-c', `gpg.ssh.allowedSignersFile=${allowedSigners}`, 'verify-commit', 'HEAD'];
    const verified = await execGit(verify, { cwd: dir });
    expect(verified.exitCode).toBe(0);
    expect(verified.stderr).toContain(`Good "git" signature for ${BOT.email}`);
    expect((await execGit(verify.with(-1, 'HEAD~1'), { cwd: dir })).exitCode).not.toBe(0);
  });
});
