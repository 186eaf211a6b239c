import { connect as connectTcp } from 'node:net';
import { connect } from '@nats-io/transport-node';
import { afterAll, describe, expect, it } from 'vitest';
import { inspect } from './inspect.js';
import { startNatsServer, startRedisServer } from './servers.js';
import { readStream } from './stream-reader.js';
import { testCertificates } from './tls.js';

/** What Redis on `port` answers to `commands` (RESP inline commands), as one string. */
function redisSays(port: number, commands: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    const socket = connectTcp({ port, host: '127.0.0.1' }, () => socket.end(`${commands.join('\r\n')}\r\n`));
    socket.on('data', (chunk) => {
      answer += chunk;
    });
    socket.on('end', () => resolve(answer));
    socket.on('error', reject);
  });
}

describe('servers with credentials', () => {
  const disposers: Array<() => Promise<void>> = [];
  afterAll(() => Promise.all(disposers.map((dispose) => dispose())));

  it('a NATS with a user: url carries it, and a connection without it is refused', async () => {
    const nats = await startNatsServer({ user: { name: 'tester', password: 'p@ss/word' } });
    disposers.push(nats.dispose);
    expect(nats.url).toBe(`nats://tester:p%40ss%2Fword@127.0.0.1:${nats.port}`);
    await expect(connect({ servers: `127.0.0.1:${nats.port}` })).rejects.toThrow(/Authorization Violation/);
    const inspector = await inspect(nats.url);
    await inspector.jsm.streams.add({ name: 'GITOPS', subjects: ['gitops.v1.>'] });
    await inspector.close();
    expect(await readStream(nats.url, 'gitops.v1.>')).toEqual([]);
  });

  it('a NATS with a configuration of users whose passwords come from the environment', async () => {
    const config = 'authorization { users = [ { user: alice, password: $ALICE_PASSWORD } ] }\n';
    const nats = await startNatsServer({ config, env: { ALICE_PASSWORD: 'a1ice-pw' } });
    disposers.push(nats.dispose);
    const nc = await connect({ servers: `127.0.0.1:${nats.port}`, user: 'alice', pass: 'a1ice-pw' });
    await nc.close();
    await expect(connect({ servers: `127.0.0.1:${nats.port}`, user: 'alice', pass: 'x' })).rejects.toThrow(
      /Authorization Violation/,
    );
    expect(nats.urlAs('alice', 'a1ice-pw')).toBe(`nats://alice:a1ice-pw@127.0.0.1:${nats.port}`);
  });

  it('a Redis with requirepass, or with an ACL user, answers only with them', async () => {
    const plain = await startRedisServer({ password: 'r3dis-pw' });
    const acl = await startRedisServer({ user: 'builder', password: 'b-pw' });
    disposers.push(plain.dispose, acl.dispose);
    expect(plain.url).toBe(`redis://:r3dis-pw@127.0.0.1:${plain.port}`);
    expect(acl.url).toBe(`redis://builder:b-pw@127.0.0.1:${acl.port}`);
    expect(await redisSays(plain.port, ['PING'])).toMatch(/^-NOAUTH/);
    expect(await redisSays(plain.port, ['AUTH r3dis-pw', 'PING'])).toBe('+OK\r\n+PONG\r\n');
    expect(await redisSays(acl.port, ['PING'])).toMatch(/^-NOAUTH/);
    expect(await redisSays(acl.port, ['AUTH builder b-pw', 'PING'])).toBe('+OK\r\n+PONG\r\n');
  });

  it('a NATS and a Redis with TLS refuse a plain connection', async () => {
    const tls = await testCertificates();
    const nats = await startNatsServer({ tls });
    const redis = await startRedisServer({ tls });
    disposers.push(nats.dispose, redis.dispose);
    expect(redis.url).toBe(`rediss://127.0.0.1:${redis.port}`);
    await expect(connect({ servers: `127.0.0.1:${nats.port}`, tls: null })).rejects.toThrow(/tls/i);
    const plain = await redisSays(redis.port, ['PING']).catch((err: Error) => err.message);
    expect(plain).not.toContain('PONG');
    const nc = await connect({ servers: `127.0.0.1:${nats.port}`, tls: { caFile: tls.ca } });
    await nc.close();
  });
});
