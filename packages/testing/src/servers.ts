import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { type ServerProcess, type ServerSpec, startServerProcess } from './process-server.js';
import type { TestCertificates } from './tls.js';

/** A server whose clients need only its URL. */
async function startUrlServer(scheme: string, spec: ServerSpec): Promise<ServerProcess & { url: string }> {
  const server = await startServerProcess(spec);
  return { ...server, url: `${scheme}://127.0.0.1:${server.port}` };
}

/** `scheme://user:password@host:port`, both parts URL-encoded. */
const withUserinfo = (url: string, user: string, password: string) =>
  url.replace('://', `://${encodeURIComponent(user)}:${encodeURIComponent(password)}@`);

export interface NatsServerOptions {
  /** One user allowed everything (`--user`/`--pass`): `url` then carries these credentials. */
  user?: { name: string; password: string };
  /**
   * nats-server configuration, such as users with permissions (`authorization { users = [...] }`)
   * or an `include` of a file by absolute path; the command line's port, store and JetStream win.
   */
  config?: string;
  /** Variables the configuration reads as `$NAME`, such as passwords. */
  env?: Record<string, string>;
  /** TLS required, with these certificates (`testCertificates`); clients use `tls://` or a CA. */
  tls?: TestCertificates;
}

export interface NatsServer extends ServerProcess {
  /** `nats://127.0.0.1:<port>`, with the `user` option's credentials when there is one. */
  url: string;
  /** This server's URL with `user`'s credentials in it. */
  urlAs(user: string, password: string): string;
}

/** nats-server with JetStream (file store in a temp directory) on a random port. */
export async function startNatsServer(options: NatsServerOptions = {}): Promise<NatsServer> {
  const { user, config } = options;
  const server = await startUrlServer('nats', {
    name: 'nats',
    command: process.env.NATS_SERVER_BIN ?? 'nats-server',
    args: (port, dir) => {
      const args = ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir];
      if (user) args.push('--user', user.name, '--pass', user.password);
      if (options.tls) args.push('--tls', '--tlscert', options.tls.cert, '--tlskey', options.tls.key);
      if (config !== undefined) {
        writeFileSync(join(dir, 'nats.conf'), config);
        args.push('-c', join(dir, 'nats.conf'));
      }
      return args;
    },
    ...(options.env ? { env: options.env } : {}),
  });
  const urlAs = (name: string, password: string) => withUserinfo(server.url, name, password);
  return { ...server, url: user ? urlAs(user.name, user.password) : server.url, urlAs };
}

export interface RedisServerOptions {
  /** `requirepass`: `url` then carries it (`redis://:password@…`). */
  password?: string;
  /** An ACL user allowed everything, with `password`, instead of the default user (which is then off). */
  user?: string;
  /** TLS only, with these certificates (`testCertificates`): `url` is then `rediss://`. */
  tls?: TestCertificates;
}

export interface RedisServer extends ServerProcess {
  /** `redis://127.0.0.1:<port>`, with the password (and user) when there is one. */
  url: string;
}

function redisTlsArgs(port: number, tls: RedisServerOptions['tls']): string[] {
  if (!tls) return ['--port', String(port)];
  const files = ['--tls-cert-file', tls.cert, '--tls-key-file', tls.key, '--tls-ca-cert-file', tls.ca];
  return ['--port', '0', '--tls-port', String(port), ...files, '--tls-auth-clients', 'no'];
}

function redisAuthArgs({ password, user }: RedisServerOptions): string[] {
  if (!password) return [];
  if (!user) return ['--requirepass', password];
  return ['--user', 'default', 'off', '--user', user, 'on', `>${password}`, '~*', '&*', '+@all'];
}

/** redis-server, nothing persisted, on a random port. */
export async function startRedisServer(options: RedisServerOptions = {}): Promise<RedisServer> {
  const server = await startUrlServer('redis', {
    name: 'redis',
    command: process.env.REDIS_SERVER_BIN ?? 'redis-server',
    args: (port, dir) => [
      ...redisTlsArgs(port, options.tls),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
      ...redisAuthArgs(options),
    ],
  });
  const plain = options.tls ? server.url.replace('redis://', 'rediss://') : server.url;
  const url = options.password ? withUserinfo(plain, options.user ?? '', options.password) : plain;
  return { ...server, url };
}
