import { STREAM_NAME } from '@gitops/contracts';
import { type Inspector, type NatsServer, inspect, startNatsServer, testLogger } from '@gitops/testing';
import { nanos } from '@nats-io/transport-node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './bus.js';
import { DEAD_LETTER_STREAM, type TopologyOptions, streamTopology } from './topology.js';

const HOUR = 60 * 60 * 1000;

describe('bus.provision', () => {
  let nats: NatsServer;
  let look: Inspector;
  const buses: Bus[] = [];
  const open = async (topology: TopologyOptions = {}) => {
    const bus = await connectBus({
      servers: [nats.url],
      name: 'test',
      logger: testLogger(),
      topology: streamTopology(topology),
    });
    buses.push(bus);
    return bus;
  };

  beforeEach(async () => {
    nats = await startNatsServer();
    look = await inspect(nats.url);
  });
  afterEach(async () => {
    await Promise.all(buses.splice(0).map((bus) => bus.close()));
    await look.close();
    await nats.dispose();
  });

  it('creates the event and dead-letter streams, and changes nothing when run again', async () => {
    const bus = await open({ duplicateWindowMs: 2 * HOUR });
    await bus.provision();
    const created = await look.jsm.streams.info(STREAM_NAME);
    await bus.provision();
    const again = await look.jsm.streams.info(STREAM_NAME);
    expect(again.created).toBe(created.created);
    expect(again.config).toEqual(created.config);
    expect(created.config).toMatchObject({ subjects: ['gitops.v1.>'], duplicate_window: nanos(2 * HOUR) });
    const deadLetters = await look.jsm.streams.info(DEAD_LETTER_STREAM);
    expect(deadLetters.config.subjects).toEqual(['gitops.dlq.>']);
  });

  it('updates the max age and duplicate window of an existing stream', async () => {
    await (await open({ maxAgeMs: 24 * HOUR, duplicateWindowMs: HOUR })).provision();
    await (await open({ maxAgeMs: 48 * HOUR, duplicateWindowMs: 3 * HOUR })).provision();
    const { config } = await look.jsm.streams.info(STREAM_NAME);
    expect(config.max_age).toBe(nanos(48 * HOUR));
    expect(config.duplicate_window).toBe(nanos(3 * HOUR));
  });

  it('lets several replicas provision the same topology at once', async () => {
    const replicas = await Promise.all([open(), open(), open()]);
    await Promise.all(replicas.map((bus) => bus.provision()));
    expect((await look.jsm.streams.info(STREAM_NAME)).config.max_age).toBe(nanos(30 * 24 * HOUR));
  });
});
