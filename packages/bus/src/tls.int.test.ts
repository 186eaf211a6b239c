import { natsConnectOptions } from '@gitops/config';
import {
  type NatsServer,
  type TestCertificates,
  sourceReceived,
  startNatsServer,
  testCertificates,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectBus } from './bus.js';

describe('a bus over TLS', () => {
  let tls: TestCertificates;
  let nats: NatsServer;

  beforeAll(async () => {
    tls = await testCertificates();
    nats = await startNatsServer({ tls, user: { name: 'builder', password: 'tls-Passw0rd' } });
  });
  afterAll(() => nats?.dispose());

  const url = () => `tls://builder:tls-Passw0rd@127.0.0.1:${nats.port}`;

  it('connects to a tls:// server whose certificate NATS_CA signed, and publishes', async () => {
    const options = natsConnectOptions({ NATS_URL: [url()], NATS_CA: tls.ca });
    const bus = await connectBus({ ...options, name: 'tls', logger: testLogger() });
    try {
      await bus.provision();
      await expect(bus.publish(sourceReceived(uniqueApp()))).resolves.toMatchObject({ duplicate: false });
    } finally {
      await bus.close();
    }
  });

  it('refuses a server certificate that no trusted CA signed', async () => {
    const options = natsConnectOptions({ NATS_URL: [url()] });
    await expect(connectBus({ ...options, name: 'tls', logger: testLogger() })).rejects.toThrow(
      `cannot connect to NATS at tls://127.0.0.1:${nats.port} as builder: unable to verify the first certificate`,
    );
  });
});
