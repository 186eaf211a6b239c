import {
  type NatsServer,
  type PlatformNatsUsers,
  buildStarted,
  buildSucceeded,
  imagePushed,
  inspect,
  platformNatsUsers,
  sourceReceived,
  startNatsServer,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { connect } from '@nats-io/transport-node';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type Bus, connectBus } from './bus.js';
import { deadLetterSubject } from './names.js';
import { DEAD_LETTER_STREAM } from './topology.js';

// The per-service users of infra/k8s/nats-users.conf, enforced by a real nats-server.
describe('NATS permissions per service', () => {
  let users: PlatformNatsUsers;
  let nats: NatsServer;
  const buses: Bus[] = [];

  const busOf = async (user: string) => {
    const port = { servers: [`nats://127.0.0.1:${nats.port}`], user, pass: users.passwordOf(user) };
    const bus = await connectBus({ ...port, name: user, logger: testLogger(), timeoutMs: 2000 });
    buses.push(bus);
    await bus.provision();
    return bus;
  };

  beforeAll(async () => {
    users = platformNatsUsers();
    nats = await startNatsServer({ config: users.config, env: users.env });
  });
  afterAll(async () => {
    await Promise.all(buses.map((bus) => bus.close()));
    await nats?.dispose();
  });

  const build = (app: string) =>
    buildSucceeded({ app, digest: `sha256:${'a'.repeat(64)}`, layout: 'images/x' });

  it("refuses the builder's user an image.pushed, and lets the pusher's user publish it", async () => {
    const app = uniqueApp();
    const builder = await busOf('builder');
    const pusher = await busOf('image-pusher');
    const forged = imagePushed(build(app), 'registry.test/x');
    await expect(builder.publish(forged)).rejects.toThrow(
      `Permissions Violation for Publish to "gitops.v1.${app}.image.pushed"`,
    );
    // Not a duplicate: nothing of the builder's attempt was stored.
    await expect(pusher.publish(forged)).resolves.toMatchObject({ duplicate: false });
  });

  it('lets each stage publish only its own events', async () => {
    const app = uniqueApp();
    const source = sourceReceived(app);
    const receiver = await busOf('webhook-receiver');
    const builder = await busOf('builder');
    await expect(receiver.publish(source)).resolves.toMatchObject({ duplicate: false });
    await expect(receiver.publish(build(app))).rejects.toThrow(/Permissions Violation for Publish/);
    await expect(builder.publish(buildStarted(source))).resolves.toMatchObject({ duplicate: false });
    await expect(builder.publish(sourceReceived(app))).rejects.toThrow(/Permissions Violation for Publish/);
  });

  it('lets the builder consume with its own durable and dead-letter what it cannot decode, and no other durable', async () => {
    const app = uniqueApp();
    const builder = await busOf('builder');
    const durable = 'builder--source-received';
    const consumer = await builder.consume(
      { durable, filterSubject: 'gitops.v1.*.source.received', expected: 'source.received' },
      async () => undefined,
    );
    const admin = await connect({
      servers: `127.0.0.1:${nats.port}`,
      user: 'admin',
      pass: users.passwordOf('admin'),
    });
    await admin.request(`gitops.v1.${app}.source.received`, 'not an event');
    await admin.close();
    const look = await inspect(nats.urlAs('admin', users.passwordOf('admin')));
    try {
      const parked = await vi.waitFor(() => look.last(deadLetterSubject(durable), DEAD_LETTER_STREAM), {
        timeout: 5000,
      });
      expect(parked.subject).toBe(deadLetterSubject(durable));
    } finally {
      await look.close();
      await consumer.stop();
    }
    const stealing = builder.consume(
      { durable: 'image-pusher--build-succeeded', filterSubject: 'gitops.v1.*.build.succeeded' },
      async () => undefined,
    );
    await expect(stealing).rejects.toThrow(
      'consumer image-pusher--build-succeeded was not created: Permissions Violation for Publish to "$JS.API.CONSUMER.INFO.GITOPS.image-pusher--build-succeeded"',
    );
  });

  it('refuses a wrong password, naming the servers and the user but not the password', async () => {
    const servers = [`nats://127.0.0.1:${nats.port}`];
    const attempt = connectBus({
      servers,
      user: 'builder',
      pass: 'not-the-password',
      name: 'x',
      logger: testLogger(),
    });
    await expect(attempt).rejects.toThrow(
      `cannot connect to NATS at nats://127.0.0.1:${nats.port} as builder: Authorization Violation`,
    );
  });
});
