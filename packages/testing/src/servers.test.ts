import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { startNatsServer } from './servers.js';

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect({ port, host: '127.0.0.1' });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });

describe('startNatsServer', async () => {
  const nats = await startNatsServer();
  afterAll(() => nats.dispose());

  it('serves on its port, stops, and restarts on the same port', async () => {
    expect(await canConnect(nats.port)).toBe(true);
    await nats.stop();
    expect(await canConnect(nats.port)).toBe(false);
    await nats.restart();
    expect(await canConnect(nats.port)).toBe(true);
  });
});
