import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, waitForPort } from './ports.js';

/** A real server process on a random loopback port, with a temp directory that it may keep across restarts. */
export interface ServerProcess {
  port: number;
  dir: string;
  /** Stops the process (SIGTERM, then SIGKILL after 5 s). */
  stop(): Promise<void>;
  /** Starts it again on the same port with the same directory, as after a crash or an upgrade. */
  restart(): Promise<void>;
  /** Stops it and removes its directory. */
  dispose(): Promise<void>;
}

export interface ServerSpec {
  name: string;
  command: string;
  args: (port: number, dir: string) => string[];
  /** Added to this process's environment. */
  env?: NodeJS.ProcessEnv;
}

function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 5000);
    child.once('exit', () => {
      clearTimeout(kill);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

export async function startServerProcess(spec: ServerSpec): Promise<ServerProcess> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), `gitops-${spec.name}-`));
  let child: ChildProcess | undefined;
  let output = '';
  const start = async () => {
    output = '';
    child = spawn(spec.command, spec.args(port, dir), {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...spec.env },
    });
    // Only the tail is kept (for the exit message): a long-lived server may log every request.
    const keep = (d: Buffer) => {
      output = (output + d).slice(-2000);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const failed = new Promise<never>((_, reject) => {
      child?.once('error', (err) => reject(new Error(`${spec.name} did not start: ${err.message}`)));
      child?.once('exit', (code) =>
        reject(new Error(`${spec.name} exited with ${code}: ${output.slice(-2000)}`)),
      );
    });
    failed.catch(() => undefined);
    await Promise.race([waitForPort(port), failed]);
  };
  await start();
  return {
    port,
    dir,
    stop: () => stopChild(child),
    restart: async () => {
      await stopChild(child);
      await start();
    },
    dispose: async () => {
      await stopChild(child);
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
