import { type ServerProcess, type ServerSpec, startServerProcess } from './process-server.js';

/** A server whose clients need only its URL. */
async function startUrlServer(scheme: string, spec: ServerSpec): Promise<ServerProcess & { url: string }> {
  const server = await startServerProcess(spec);
  return { ...server, url: `${scheme}://127.0.0.1:${server.port}` };
}

export interface NatsServer extends ServerProcess {
  url: string;
}

/** nats-server with JetStream (file store in a temp directory) on a random port. */
export function startNatsServer(): Promise<NatsServer> {
  return startUrlServer('nats', {
    name: 'nats',
    command: process.env.NATS_SERVER_BIN ?? 'nats-server',
    args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
  });
}

export interface RedisServer extends ServerProcess {
  url: string;
}

/** redis-server, nothing persisted, on a random port. */
export function startRedisServer(): Promise<RedisServer> {
  return startUrlServer('redis', {
    name: 'redis',
    command: process.env.REDIS_SERVER_BIN ?? 'redis-server',
    args: (port, dir) => [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      dir,
    ],
  });
}
