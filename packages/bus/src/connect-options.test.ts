import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { natsClientOptions, shownServers } from './connect-options.js';

const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
const credsFile = (jwt: string) =>
  `-----BEGIN NATS USER JWT-----\n${jwt}\n------END NATS USER JWT------\n\n` +
  `-----BEGIN USER NKEY SEED-----\n${seed}\n------END USER NKEY SEED------\n`;

type Auth = { jwt?: string; nkey?: string; sig?: string };

describe('natsClientOptions', () => {
  it('passes servers, user and password, token and TLS files on to nats.js as they are', () => {
    const tls = { caFile: 'ca.pem' };
    expect(natsClientOptions({ servers: ['nats://h:4222'], user: 'builder', pass: 'pw', tls })).toEqual({
      servers: ['nats://h:4222'],
      user: 'builder',
      pass: 'pw',
      tls,
    });
    expect(natsClientOptions({ servers: ['nats://h:4222'], token: 't' })).toEqual({
      servers: ['nats://h:4222'],
      token: 't',
    });
  });

  it('signs with a .creds file, read again at every connect so a rotated file is used', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'creds-')), 'user.creds');
    await writeFile(file, credsFile('first.jwt'));
    const { authenticator } = natsClientOptions({ servers: ['nats://h:4222'], credsFile: file });
    const authenticate = authenticator as (nonce?: string) => Auth;
    const first = authenticate('nonce-1');
    expect(first).toMatchObject({ jwt: 'first.jwt', nkey: expect.stringMatching(/^U/) });
    expect(first.sig).toBeTruthy();
    await writeFile(file, credsFile('rotated.jwt'));
    expect(authenticate('nonce-2').jwt).toBe('rotated.jwt');
  });
});

describe('shownServers', () => {
  it('masks a password left in a server URL', () => {
    expect(shownServers(['nats://u:secret@a:4222', 'nats://b:4222'])).toBe(
      'nats://u:***@a:4222,nats://b:4222',
    );
  });
});
