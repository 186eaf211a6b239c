import { type ChildProcess, spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { freePort } from './ports.js';

/** The repository root, from this file's place in packages/testing/src (or dist). */
export const repoRoot = resolve(import.meta.dirname, '../../..');

export interface ServiceProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the service printed (JSON log lines), for assertions and for failure messages. */
  output(): string;
  /** SIGTERM, then waits for the exit code (SIGKILL after `graceMs`). */
  stop(graceMs?: number): Promise<number | null>;
}

/**
 * Starts `node services/<name>/dist/main.js` as its own process, configured only by environment
 * variables as in production, and waits until its /readyz answers 200. Needs `pnpm build` first.
 */
export async function spawnService(
  name: string,
  env: Record<string, string>,
  timeoutMs = 20_000,
): Promise<ServiceProcess> {
  const port = env.PORT ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, [resolve(repoRoot, 'services', name, 'dist/main.js')], {
    cwd: repoRoot,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      LOG_LEVEL: 'info',
      ...env,
      PORT: String(port),
      HOST: '127.0.0.1',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk;
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const url = `http://127.0.0.1:${port}`;
  const stop = (graceMs = 10_000) =>
    new Promise<number | null>((done) => {
      if (child.exitCode !== null || child.signalCode !== null) return done(child.exitCode);
      const kill = setTimeout(() => child.kill('SIGKILL'), graceMs);
      child.once('exit', (code) => {
        clearTimeout(kill);
        done(code);
      });
      child.kill('SIGTERM');
    });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}:\n${output}`);
    const ready = await fetch(`${url}/readyz`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) return { url, port, child, output: () => output, stop };
    await sleep(100);
  }
  await stop();
  throw new Error(`${name} was not ready within ${timeoutMs} ms:\n${output}`);
}
