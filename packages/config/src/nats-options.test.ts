import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, redactUrls } from './env.js';
import { natsConnectOptions } from './nats-options.js';
import { serviceEnv } from './service-env.js';

const SECRET = 's3cr3t/+@pw';
const encoded = encodeURIComponent(SECRET);

function problemOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as Error).message;
  }
  throw new Error('expected a ConfigError');
}

describe('natsConnectOptions', () => {
  it('takes user and password out of the URL, decoded, and leaves the servers without them', () => {
    const options = natsConnectOptions({
      NATS_URL: [`nats://builder:${encoded}@nats-0:4222`, `nats://builder:${encoded}@nats-1:4222`],
    });
    expect(options).toEqual({
      servers: ['nats://nats-0:4222', 'nats://nats-1:4222'],
      user: 'builder',
      pass: SECRET,
    });
  });

  it('reads a user without a password as a token, as the nats CLI does', () => {
    expect(natsConnectOptions({ NATS_URL: ['nats://t0ken@127.0.0.1:4222'] })).toEqual({
      servers: ['nats://127.0.0.1:4222'],
      token: 't0ken',
    });
    expect(natsConnectOptions({ NATS_URL: ['nats://h:4222'], NATS_TOKEN: 'x' }).token).toBe('x');
  });

  it('passes a .creds file on for the client to authenticate with', () => {
    const options = natsConnectOptions({ NATS_URL: ['nats://h:4222'], NATS_CREDS: '/run/nats/user.creds' });
    expect(options).toEqual({ servers: ['nats://h:4222'], credsFile: '/run/nats/user.creds' });
  });

  it('requires TLS for a tls:// server or any TLS file, with the files it was given', () => {
    expect(natsConnectOptions({ NATS_URL: ['tls://h:4222'] }).tls).toEqual({});
    expect(
      natsConnectOptions({
        NATS_URL: ['nats://h:4222'],
        NATS_CA: 'ca.pem',
        NATS_CERT: 'c.pem',
        NATS_KEY: 'k.pem',
      }).tls,
    ).toEqual({ caFile: 'ca.pem', certFile: 'c.pem', keyFile: 'k.pem' });
    expect(natsConnectOptions({ NATS_URL: ['nats://h:4222'] }).tls).toBeUndefined();
  });

  it('refuses two ways to authenticate at once, naming them and never the password', () => {
    const message = problemOf(() =>
      natsConnectOptions({ NATS_URL: [`nats://u:${encoded}@h:4222`], NATS_CREDS: 'x.creds' }),
    );
    expect(message).toMatch(/NATS_CREDS takes one of credentials in NATS_URL, NATS_CREDS/);
    expect(message).not.toContain(SECRET);
    expect(message).not.toContain(encoded);
  });

  it('refuses servers with different credentials, without printing them', () => {
    const message = problemOf(() =>
      natsConnectOptions({ NATS_URL: [`nats://u:${encoded}@a:4222`, 'nats://u:other@b:4222'] }),
    );
    expect(message).toMatch(/NATS_URL must give the same credentials for every server/);
    expect(message).not.toContain(encoded);
    expect(message).not.toContain('other');
  });

  it('refuses a client certificate without its key', () => {
    expect(problemOf(() => natsConnectOptions({ NATS_URL: ['tls://h:4222'], NATS_CERT: 'c.pem' }))).toMatch(
      /NATS_CERT and NATS_KEY go together/,
    );
  });
});

describe('a URL password in a configuration message', () => {
  it('is replaced by *** in every URL of a text', () => {
    expect(redactUrls(`nats://u:${SECRET}@a:1,redis://:pw@b:2/0`)).toBe(
      'nats://u:***@a:1,redis://:***@b:2/0',
    );
  });

  it('never appears when a variable holding it is refused', () => {
    const message = problemOf(() =>
      loadConfig(serviceEnv(1), {
        NATS_URL: `http://u:${encoded}@h:4222`,
        REDIS_URL: `redis://:${encoded}@h x`,
      }),
    );
    expect(message).toMatch(/NATS_URL must be nats:\/\/… or tls:\/\/…/);
    expect(message).toContain('http://u:***@h:4222');
    expect(message).toMatch(/REDIS_URL/);
    expect(message).not.toContain(encoded);
  });
});
