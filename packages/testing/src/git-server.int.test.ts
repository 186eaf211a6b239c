import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import { startGitServer } from './git-server.js';
import { git, makeCommit } from './git.js';

const ZERO = '0'.repeat(40);
const pktLine = (line: string) => `${(line.length + 4).toString(16).padStart(4, '0')}${line}`;

describe('startGitServer', async () => {
  const server = await startGitServer();
  const work = await mkdtemp(join(tmpdir(), 'gitops-git-work-'));
  afterAll(async () => {
    await server.dispose();
    await rm(work, { recursive: true, force: true });
  });
  let n = 0;
  const cloneOf = async (url: string) => {
    const dir = join(work, `clone-${++n}`);
    await git(['clone', '--quiet', url, dir]);
    return dir;
  };

  it('clones an empty bare repository, pushes to it and serves the commit to a new clone', async () => {
    const repo = await server.createBareRepo('acme/hello');
    expect(repo.url).toBe(`${server.url}/acme/hello.git`);
    const clone = await cloneOf(repo.url);
    const sha = await makeCommit(clone, { 'README.md': '# hello\n', 'src/app.txt': 'v1\n' }, 'first');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });

    expect(await git(['ls-remote', repo.url, 'refs/heads/main'])).toBe(`${sha}\trefs/heads/main\n`);
    const again = await cloneOf(repo.url);
    expect(await readFile(join(again, 'src/app.txt'), 'utf8')).toBe('v1\n');
    expect((await git(['log', '-1', '--format=%an <%ae> %s'], { cwd: again })).trim()).toBe(
      'Test Author <author@example.com> first',
    );
  });

  it('runs the post-receive hook with the pushed refs on stdin', async () => {
    const seen = join(work, 'hook-stdin.txt');
    const repo = await server.createBareRepo('acme/hooked', {
      postReceiveHook: `#!/bin/sh\ncat > '${seen}'\n`,
    });
    const clone = await cloneOf(repo.url);
    const first = await makeCommit(clone, { 'a.txt': '1' }, 'one');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
    expect(await readFile(seen, 'utf8')).toBe(`${ZERO} ${first} refs/heads/main\n`);

    const second = await makeCommit(clone, { 'a.txt': '2' }, 'two');
    await git(['push', '--quiet', 'origin', 'main:main', 'main:refs/heads/release'], { cwd: clone });
    const lines = (await readFile(seen, 'utf8')).trim().split('\n').sort();
    expect(lines).toEqual(
      [`${first} ${second} refs/heads/main`, `${ZERO} ${second} refs/heads/release`].sort(),
    );
  });

  it('writes the requested git config entries into the bare repository', async () => {
    const repo = await server.createBareRepo('acme/configured', {
      config: { 'gitops.webhookUrl': 'http://127.0.0.1:8080/webhooks/generic' },
    });
    expect((await git(['config', '--get', 'gitops.webhookUrl'], { cwd: repo.dir })).trim()).toBe(
      'http://127.0.0.1:8080/webhooks/generic',
    );
  });

  it('accepts a push larger than git’s post buffer, which git sends chunked', async () => {
    const repo = await server.createBareRepo('acme/large');
    const clone = await cloneOf(repo.url);
    await writeFile(join(clone, 'blob.bin'), randomBytes(3 * 1024 * 1024));
    const sha = await makeCommit(clone, {}, 'large');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });
    expect(await git(['ls-remote', repo.url, 'refs/heads/main'])).toBe(`${sha}\trefs/heads/main\n`);
  });

  it('inflates a gzip-encoded request body', async () => {
    const repo = await server.createBareRepo('acme/gzipped');
    const clone = await cloneOf(repo.url);
    const sha = await makeCommit(clone, { 'a.txt': 'zipped' }, 'one');
    await git(['push', '--quiet', 'origin', 'main'], { cwd: clone });

    const res = await fetch(`${repo.url}/git-upload-pack`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-git-upload-pack-request', 'content-encoding': 'gzip' },
      body: gzipSync(`${pktLine(`want ${sha}\n`)}0000${pktLine('done\n')}`),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/x-git-upload-pack-result');
    expect(Buffer.from(await res.arrayBuffer()).toString('latin1')).toMatch(/^0008NAK\nPACK/);
  });

  it('answers 404 for a repository that does not exist', async () => {
    const res = await fetch(`${server.url}/acme/missing.git/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(404);
  });

  it('refuses repository paths that leave the root', async () => {
    await expect(server.createBareRepo('../outside')).rejects.toThrow(/not a repository path/);
    const res = await fetch(`${server.url}/acme%2F..%2F..%2Fetc/info/refs`);
    expect(res.status).toBe(400);
  });
});

describe('startGitServer when git http-backend cannot run', async () => {
  // Without git on its PATH every backend spawn fails; the server itself must keep answering.
  const server = await startGitServer({ env: { PATH: '/nonexistent' } });
  afterAll(() => server.dispose());

  it('answers 500 and keeps serving the next requests', async () => {
    for (let i = 0; i < 2; i++) {
      const res = await fetch(`${server.url}/acme/hello.git/info/refs?service=git-upload-pack`);
      expect(res.status).toBe(500);
      expect(await res.text()).toBe('git http-backend failed\n');
    }
  });
});
