import { type ServerProcess, startServerProcess } from './process-server.js';

export interface NatsServer extends ServerProcess {
  url: string;
}

/** nats-server with JetStream (file store in a temp directory) on a random port. */
export async function startNatsServer(): Promise<NatsServer> {
  const server = await startServerProcess({
    name: 'nats',
    command: process.env.NATS_SERVER_BIN ?? 'nats-server',
    args: (port, dir) => ['-a', '127.0.0.1', '-p', String(port), '-js', '-sd', dir],
  });
  return { ...server, url: `nats://127.0.0.1:${server.port}` };
}

export interface RedisServer extends ServerProcess {
  url: string;
}

/** redis-server, nothing persisted, on a random port. */
export async function startRedisServer(): Promise<RedisServer> {
  const server = await startServerProcess({
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
  return { ...server, url: `redis://127.0.0.1:${server.port}` };
}
