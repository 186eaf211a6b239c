import type * as ChildProcess from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { type GitError, clone, gitAccess, resolveCommit } from './index.js';
import { type HttpGitServer, startHttpGitServer } from './test/http-git-server.js';
import { type Scratch, commitAndPush, createScratch } from './test/scratch.js';

// Every git process the runner starts, as it was started: to show what reaches argv and what the environment.
const started = vi.hoisted(() => [] as { args: string[]; env: NodeJS.ProcessEnv }[]);
vi.mock('node:child_process', async (importOriginal) => {
  const actual = await importOriginal<typeof ChildProcess>();
  const spawn = (command: string, args: string[], options: ChildProcess.SpawnOptions) => {
    if (args[0] !== 'http-backend') started.push({ args, env: options.env ?? {} });
    return actual.spawn(command, args, options);
  };
  return { ...actual, spawn };
});

const PASSWORD = 's3cret-pass';

describe('credentials over HTTP', () => {
  let scratch: Scratch;
  let server: HttpGitServer;
  let url: string;
  let sha: string;

  beforeAll(async () => {
    scratch = await createScratch();
    const remote = await scratch.bareRepo('private');
    sha = await commitAndPush(await scratch.workClone(remote.url), { 'app.txt': 'private\n' });
    server = await startHttpGitServer(scratch.root, 'bot', PASSWORD);
    url = `${server.url}/${basename(remote.dir)}`;
  });
  afterAll(async () => {
    await server?.close();
    await scratch.dispose();
  });
  beforeEach(() => {
    started.length = 0;
  });

  it('sends the password in the Authorization header, never in an argument', async () => {
    const dir = scratch.path('clone');
    await clone({ source: url, dir, access: await gitAccess({ username: 'bot', password: PASSWORD }) });
    expect(await resolveCommit(dir, 'HEAD')).toBe(sha);
    expect(server.authorizations).toContain(`Basic ${Buffer.from(`bot:${PASSWORD}`).toString('base64')}`);
    const cloning = started.find((run) => run.args[0] === 'clone');
    expect(cloning?.env.GITOPS_GIT_PASSWORD).toBe(PASSWORD);
    expect(started.flatMap((run) => run.args).join(' ')).not.toContain(PASSWORD);
  });

  it('reads the password file at each gitAccess, so a rotated password applies at once', async () => {
    const passwordFile = scratch.path('password');
    await writeFile(passwordFile, 'old-pass\n');
    const stale = await gitAccess({ username: 'bot', passwordFile });
    await writeFile(passwordFile, `${PASSWORD}\n`);
    const fresh = await gitAccess({ username: 'bot', passwordFile });
    expect(stale.secrets).toEqual(['old-pass']);
    await expect(clone({ source: url, dir: scratch.path('clone'), access: stale })).rejects.toMatchObject({
      failure: 'denied',
    });
    await clone({ source: url, dir: scratch.path('clone'), access: fresh });
  });

  it('fails as denied without credentials, with no prompt', async () => {
    const err: GitError = await clone({ source: url, dir: scratch.path('clone') }).catch((e) => e);
    expect(err).toMatchObject({ name: 'GitError', failure: 'denied', retryable: false });
  });

  it('keeps a refused password out of the error', async () => {
    const wrong = 'wr0ng-pass-123';
    const access = await gitAccess({ username: 'bot', password: wrong });
    const err: GitError = await clone({ source: url, dir: scratch.path('clone'), access }).catch((e) => e);
    expect(err.failure).toBe('denied');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain(wrong);
    expect(started.flatMap((run) => run.args).join(' ')).not.toContain(wrong);
  });
});

describe('gitAccess', () => {
  it('names the credential file it cannot read', async () => {
    await expect(gitAccess({ username: 'u', passwordFile: '/nonexistent/pass' })).rejects.toMatchObject({
      name: 'CredentialFileError',
      code: 'GITOPS_GIT_CREDENTIAL_UNREADABLE',
      credential: 'passwordFile',
      file: '/nonexistent/pass',
      problem: 'ENOENT',
    });
    await expect(gitAccess({ sshKeyFile: '/nonexistent/key' })).rejects.toMatchObject({
      credential: 'sshKeyFile',
    });
  });

  it('runs ssh with the key, strict host key checking and no prompt', async () => {
    const { env } = await gitAccess({ sshKeyFile: '/dev/null', sshKnownHostsFile: '/dev/null' });
    expect(env.GIT_SSH_COMMAND).toBe(
      "ssh -i '/dev/null' -o IdentitiesOnly=yes -o BatchMode=yes -o StrictHostKeyChecking=yes -o UserKnownHostsFile='/dev/null'",
    );
    expect(env.GIT_TERMINAL_PROMPT).toBe('0');
  });

  it('configures no credential helper without a username and password', async () => {
    const { env, secrets } = await gitAccess({}, { PATH: '/usr/bin' });
    expect(env.GIT_CONFIG_COUNT).toBeUndefined();
    expect(secrets).toEqual([]);
  });
});
