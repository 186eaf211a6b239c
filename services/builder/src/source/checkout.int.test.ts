import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitServer, git, startGitServer } from '@gitops/testing';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { DataDir } from '../data-dir.js';
import { startAuthProxy } from '../test/auth-proxy.js';
import { type SourceRepo, createSourceRepo } from '../test/source-repo.js';
import { checkout } from './checkout.js';
import { type GitCredentials, gitAccess } from './git-access.js';

describe('checkout from a real git server', () => {
  let server: GitServer;
  let data: DataDir;
  let repo: SourceRepo;

  beforeAll(async () => {
    server = await startGitServer();
  });
  afterAll(() => server?.dispose());
  beforeEach(async () => {
    data = new DataDir(await mkdtemp(join(tmpdir(), 'builder-data-')));
    repo = await createSourceRepo(server, `acme/${randomUUID().slice(0, 8)}`);
  });

  const checkOut = async (sha: string, options: { url?: string; credentials?: GitCredentials } = {}) => {
    const pipelineId = `p-${randomUUID().slice(0, 8)}`;
    const dir = join(data.workspace(pipelineId), 'src');
    const url = options.url ?? repo.url;
    const lines: string[] = [];
    const result = await checkout({
      repoURL: url,
      mirror: data.mirror(url),
      sha,
      ref: 'refs/heads/main',
      branch: 'main',
      pipelineId,
      dir,
      access: await gitAccess(process.env, options.credentials ?? {}),
      signal: new AbortController().signal,
      log: (line) => lines.push(line),
    });
    return { ...result, dir, lines, head: (await git(['rev-parse', 'HEAD'], { cwd: dir })).trim() };
  };

  it('checks out exactly the pushed sha when later commits exist', async () => {
    const first = await repo.push({ 'app.txt': 'one\n' });
    await repo.push({ 'app.txt': 'two\n' });
    const { head, dir, commitTime } = await checkOut(first);
    expect(head).toBe(first);
    expect(await readFile(join(dir, 'app.txt'), 'utf8')).toBe('one\n');
    expect(Math.abs(commitTime.getTime() - Date.now())).toBeLessThan(60_000);
  });

  it('builds a force-pushed branch at its new commit after the mirror fetched the old one', async () => {
    await repo.push({ 'app.txt': 'base\n' });
    const old = await repo.push({ 'app.txt': 'old\n' });
    await checkOut(old);
    await git(['reset', '--quiet', '--hard', 'HEAD~1'], { cwd: repo.work });
    const rewritten = await repo.push({ 'app.txt': 'rewritten\n' });
    const { head, dir } = await checkOut(rewritten);
    expect(head).toBe(rewritten);
    expect(await readFile(join(dir, 'app.txt'), 'utf8')).toBe('rewritten\n');
  });

  it('fails naming the sha when the server does not have the commit', async () => {
    await repo.push({ 'app.txt': 'one\n' });
    const absent = 'f'.repeat(40);
    await expect(checkOut(absent)).rejects.toMatchObject({
      name: 'BuildFailure',
      reason: 'source',
      step: 'checkout',
      message: expect.stringContaining(`commit ${absent} is not in`),
    });
  });

  it('reuses the mirror: a commit fetched before is not fetched again', async () => {
    const sha = await repo.push({ 'app.txt': 'one\n' });
    await checkOut(sha);
    const { lines, head } = await checkOut(sha);
    expect(head).toBe(sha);
    expect(lines).toContain(`commit ${sha} is already in the mirror`);
  });

  it('authenticates with HTTP basic credentials read from a password file, and is refused without them', async () => {
    const sha = await repo.push({ 'app.txt': 'private\n' });
    const proxy = await startAuthProxy(server.url, 'builder', 's3cret-pass');
    try {
      const url = repo.url.replace(server.url, proxy.url);
      await expect(checkOut(sha, { url })).rejects.toMatchObject({ reason: 'source' });
      const passwordFile = join(data.root, 'git-password');
      await writeFile(passwordFile, 's3cret-pass\n');
      const { head } = await checkOut(sha, { url, credentials: { username: 'builder', passwordFile } });
      expect(head).toBe(sha);
      expect(proxy.seen).toContain(`Basic ${Buffer.from('builder:s3cret-pass').toString('base64')}`);
    } finally {
      await proxy.close();
    }
  });

  it('fails clearly when the password file cannot be read', async () => {
    const sha = await repo.push({ 'app.txt': 'one\n' });
    const passwordFile = join(data.root, 'missing');
    await expect(checkOut(sha, { credentials: { username: 'u', passwordFile } })).rejects.toMatchObject({
      reason: 'invalid-config',
      message: `GIT_PASSWORD_FILE ${passwordFile} cannot be read: ENOENT`,
    });
  });
});
