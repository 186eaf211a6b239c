import { afterAll, describe, expect, it } from 'vitest';
import { accepts as canConnect } from './ports.js';
import { startNatsServer } from './servers.js';

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
