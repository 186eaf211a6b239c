import { mkdir, writeFile } from 'node:fs/promises';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitError, execGit, runGit } from './index.js';
import { type Scratch, createScratch } from './test/scratch.js';

describe('running git', () => {
  let scratch: Scratch;
  let silent: Server;
  let silentUrl: string;

  beforeAll(async () => {
    scratch = await createScratch();
    // Accepts connections and never answers: a git server that hangs.
    silent = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    silentUrl = `http://127.0.0.1:${(silent.address() as AddressInfo).port}/repo.git`;
  });
  afterAll(async () => {
    silent.closeAllConnections();
    await new Promise((resolve) => silent.close(resolve));
    await scratch.dispose();
  });

  it('resolves with stdout, feeding stdin', async () => {
    const sha = await runGit(['hash-object', '--stdin'], { input: 'hello\n' });
    expect(sha.trim()).toBe('ce013625030ba8dba906f756967f9e9ca394464a');
  });

  it('rejects a non-zero exit with a GitError naming the command and git’s complaint', async () => {
    const err: GitError = await runGit(['rev-parse', '--verify', 'nope'], { cwd: scratch.root }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({
      name: 'GitError',
      code: 'GITOPS_GIT_FAILED',
      command: 'rev-parse',
      exitCode: 128,
    });
    expect(err.message).toMatch(/^git rev-parse failed: fatal: not a git repository/);
  });

  it('answers the exit code of a command whose exit code is the answer', async () => {
    const output = await execGit(['diff', '--no-index', '--quiet', '/dev/null', '/dev/null']);
    expect(output.exitCode).toBe(0);
  });

  it('ignores the git config in the home directory', async () => {
    const home = scratch.path('home');
    await mkdir(home);
    await writeFile(join(home, '.gitconfig'), '[user]\n\tname = Leaked Developer\n');
    const env = { HOME: home, XDG_CONFIG_HOME: home };
    const found = await execGit(['config', '--get', 'user.name'], { env });
    expect(found).toMatchObject({ exitCode: 1, stdout: '' });
    const asGlobal = { ...env, GIT_CONFIG_GLOBAL: join(home, '.gitconfig') };
    expect((await execGit(['config', '--get', 'user.name'], { env: asGlobal })).stdout).toBe(
      'Leaked Developer\n',
    );
  });

  it('stops git at its timeout with a retryable GitError', async () => {
    const started = Date.now();
    const err: GitError = await runGit(['ls-remote', silentUrl], { timeoutMs: 300 }).catch((e) => e);
    expect(err).toMatchObject({
      failure: 'timeout',
      retryable: true,
      message: 'git ls-remote timed out after 300 ms',
    });
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops git when the caller aborts, with the abort as the cause', async () => {
    const controller = new AbortController();
    const reason = new Error('shutting down');
    setTimeout(() => controller.abort(reason), 200);
    const err: GitError = await runGit(['ls-remote', silentUrl], { signal: controller.signal }).catch(
      (e) => e,
    );
    expect(err).toMatchObject({ failure: 'aborted', retryable: false, message: 'git ls-remote was aborted' });
    expect(err.cause).toBe(reason);
  });

  it('does not start git for a signal aborted already', async () => {
    const err: GitError = await runGit(['version'], { signal: AbortSignal.abort() }).catch((e) => e);
    expect(err.failure).toBe('aborted');
  });
});
