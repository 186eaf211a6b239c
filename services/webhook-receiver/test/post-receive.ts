import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { git, repoRoot } from '@gitops/testing';
import fastify from 'fastify';

/** The shipped hook (infra/git-hooks/post-receive), as a git server runs it. */
export const HOOK = join(repoRoot, 'infra/git-hooks/post-receive');

/** git's environment for tests: none of the developer's own config. */
const hermetic = (): NodeJS.ProcessEnv => ({
  PATH: process.env.PATH,
  HOME: process.env.HOME,
  GIT_CONFIG_NOSYSTEM: '1',
  GIT_CONFIG_GLOBAL: '/dev/null',
});

export interface Finished {
  code: number | null;
  stderr: string;
  ms: number;
}

function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; stdin?: string },
) {
  return new Promise<Finished>((resolve, reject) => {
    const started = Date.now();
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ['pipe', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stderr, ms: Date.now() - started }));
    child.stdin.end(options.stdin ?? '');
  });
}

/** Runs the hook in the bare repository `dir` for one ref update, configured by `env` only. */
export const runHook = (dir: string, update: string, env: Record<string, string>) =>
  run(process.execPath, [HOOK], { cwd: dir, env: { ...hermetic(), ...env }, stdin: `${update}\n` });

/** `git push` with git's own output (where the hook's lines show as `remote: gitops: …`). */
export const gitPush = (work: string, ...args: string[]) =>
  run('git', ['push', ...args], { cwd: work, env: hermetic() });

/** A commit in `work` whose message is `message`, however long (given in a file, not argv); its sha. */
export async function commitWithMessage(work: string, message: string): Promise<string> {
  const file = join(work, '..', `message-${Date.now()}.txt`);
  await writeFile(file, message);
  const env = { GIT_AUTHOR_NAME: 'Ada', GIT_AUTHOR_EMAIL: 'ada@example.com' };
  await git(['commit', '--quiet', '--allow-empty', '--file', file], {
    cwd: work,
    env: { ...env, GIT_COMMITTER_NAME: 'Ada', GIT_COMMITTER_EMAIL: 'ada@example.com' },
  });
  return (await git(['rev-parse', 'HEAD'], { cwd: work })).trim();
}

export interface Received {
  at: number;
  body: string;
  signature: string | undefined;
  status: number;
}

export type Answer = { status: number; retryAfter?: string; body: object };

/** A stand-in for the receiver on a free port: answers what `respond` says and records every request. */
export async function startReceiverDouble(respond: (received: Received[]) => Answer) {
  const app = fastify();
  const received: Received[] = [];
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) =>
    done(null, body),
  );
  app.post('/webhooks/generic', async (request, reply) => {
    const answer = respond(received);
    received.push({
      at: Date.now(),
      body: request.body as string,
      signature: request.headers['x-signature-256'] as string | undefined,
      status: answer.status,
    });
    if (answer.retryAfter) reply.header('retry-after', answer.retryAfter);
    return reply.code(answer.status).send(answer.body);
  });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/webhooks/generic`, received, close: () => app.close() };
}
