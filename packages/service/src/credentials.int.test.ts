import {} from 'node:os';
import {} from 'node:path';
import { PassThrough } from 'node:stream';
import { connectBus } from '@gitops/bus';
import { natsConnectOptions } from '@gitops/config';
import { createLogger } from '@gitops/telemetry';
import {
  type NatsServer,
  type RedisServer,
  readStream,
  sourceReceived,
  startNatsServer,
  startRedisServer,
  testCertificates,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {} from './definition.js';
import { RedisConnections } from './redis-connections.js';
import { startService } from './start-service.js';
import { echoService, serviceEnvOn } from './test/echo-service.js';

const NATS_PASSWORD = 'nats-Passw0rd';
const REDIS_PASSWORD = 'redis-Passw0rd';

const withPassword = (url: string, password: string) => {
  const parsed = new URL(url);
  parsed.password = password;
  return parsed.toString();
};

describe('a service with NATS and Redis credentials', () => {
  let nats: NatsServer;
  let redis: RedisServer;
  let env: () => Promise<NodeJS.ProcessEnv>;

  beforeAll(async () => {
    [nats, redis] = await Promise.all([
      startNatsServer({ user: { name: 'echo', password: NATS_PASSWORD } }),
      startRedisServer({ password: REDIS_PASSWORD }),
    ]);
    env = await serviceEnvOn({ nats: nats.url, redis: redis.url });
  });
  afterAll(async () => {
    await Promise.all([nats?.dispose(), redis?.dispose()]);
  });

  it('connects with the user and password of NATS_URL and REDIS_URL, and runs its stage', async () => {
    const echo = await startService(echoService, await env());
    try {
      const source = sourceReceived(uniqueApp());
      const connection = natsConnectOptions({ NATS_URL: [nats.url] });
      const bus = await connectBus({ ...connection, name: 'test', logger: testLogger() });
      await bus.publish(source);
      await bus.close();
      const answered = await readStream(nats.url, `gitops.v1.${source.data.app}.build.started`, {
        atLeast: 1,
      });
      expect(answered).toHaveLength(1);
      expect((await echo.http.inject({ url: '/readyz' })).statusCode).toBe(200);
    } finally {
      await echo.stop();
    }
  });

  it('refuses to start when NATS refuses the password, naming NATS_URL and not the password', async () => {
    const wrong = withPassword(nats.url, 'wrong-nats-pw');
    const failure = await startService(echoService, { ...(await env()), NATS_URL: wrong }).catch(
      (err: Error) => err.message,
    );
    expect(failure).toBe(
      `cannot connect to NATS at nats://127.0.0.1:${nats.port} (NATS_URL) as echo: Authorization Violation`,
    );
  });

  it('refuses to start when Redis refuses the password, naming REDIS_URL and not the password', async () => {
    const wrong = withPassword(redis.url, 'wrong-redis-pw');
    const failure = await startService(echoService, { ...(await env()), REDIS_URL: wrong }).catch(
      (err: Error) => err.message,
    );
    expect(failure).toMatch(
      new RegExp(
        `^Redis at redis://:\\*\\*\\*@127\\.0\\.0\\.1:${redis.port} \\(REDIS_URL\\) refused the credentials: WRONGPASS`,
      ),
    );
    expect(failure).not.toContain('wrong-redis-pw');
  });

  it('logs a refused Redis password without the password', async () => {
    const lines = new PassThrough();
    let logged = '';
    lines.on('data', (chunk) => {
      logged += chunk;
    });
    const connections = new RedisConnections(
      { url: withPassword(redis.url, 'wrong-redis-pw') },
      createLogger({ service: 'probe', destination: lines }),
    );
    await expect(connections.ping()).rejects.toThrow(/did not answer: WRONGPASS/);
    connections.close();
    expect(logged).toContain('WRONGPASS');
    expect(logged).toContain('"args":"[redacted]"');
    expect(logged).not.toContain('wrong-redis-pw');
  });

  it('connects to a rediss:// Redis whose certificate REDIS_CA signed', async () => {
    const tls = await testCertificates();
    const secure = await startRedisServer({ tls, password: REDIS_PASSWORD });
    try {
      const connections = new RedisConnections(
        { url: secure.url, caFile: tls.ca },
        createLogger({ service: 't', level: 'silent' }),
      );
      await expect(connections.ping()).resolves.toBeUndefined();
      connections.close();
      expect(
        () => new RedisConnections({ url: redis.url, caFile: tls.ca }, createLogger({ service: 't' })),
      ).toThrow('invalid configuration: REDIS_CA needs a rediss:// REDIS_URL (TLS)');
    } finally {
      await secure.dispose();
    }
  });
});
