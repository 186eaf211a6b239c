import { spawn } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';

/** User-mode networking attached to a sandbox's network namespace; stop it when the step ends. */
export interface Slirp {
  stop(): Promise<void>;
}

const STDERR_KEPT = 2000;

/**
 * Starts slirp4netns for the sandbox whose first process is `pid` and resolves once its tap0 is up
 * (with a DNS forwarder at 10.0.2.3). `--disable-host-loopback` keeps the host's 127.0.0.1 (NATS,
 * Redis, the registry on a developer's machine) out of reach; `--enable-sandbox` and
 * `--enable-seccomp` confine slirp4netns itself, which parses the step's packets. It joins the
 * sandbox's user namespace to reach its network, and exits when its exit descriptor closes, so it
 * dies with the builder too.
 */
export function startSlirp(pid: number, binary = 'slirp4netns'): Promise<Slirp> {
  const child = spawn(
    binary,
    [
      ...['--configure', '--mtu=65520', '--disable-host-loopback', '--enable-sandbox', '--enable-seccomp'],
      ...['--ready-fd=3', '--exit-fd=4', String(pid), 'tap0'],
    ],
    { env: {}, stdio: ['ignore', 'ignore', 'pipe', 'pipe', 'pipe'] },
  );
  const ready = child.stdio[3] as Readable;
  const exit = child.stdio[4] as Writable;
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (text: string) => {
    stderr = (stderr + text).slice(-STDERR_KEPT);
  });
  for (const stream of [ready, exit]) stream.on('error', () => undefined);
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async () => {
    exit.destroy();
    child.kill('SIGTERM');
    await exited;
  };
  return new Promise((resolve, reject) => {
    const failed = (why: string) =>
      reject(new Error(`slirp4netns ${why}${stderr ? `: ${stderr.trim()}` : ''}`));
    ready.once('data', () => resolve({ stop }));
    child.once('error', (err: NodeJS.ErrnoException) =>
      failed(err.code === 'ENOENT' ? 'is not installed (Debian: apt-get install slirp4netns)' : err.message),
    );
    child.once('close', (code, signal) => failed(`exited (${signal ?? code}) before the network was up`));
  });
}
