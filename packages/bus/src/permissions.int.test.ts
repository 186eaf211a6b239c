import {
  type NatsServer,
  type PlatformNatsUsers,
  buildStarted,
  buildSucceeded,
  imagePushed,
  platformNatsUsers,
  sourceReceived,
  startNatsServer,
  testLogger,
  uniqueApp,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Bus, connectBus } from './bus.js';

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
