import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import {
  type RedisServer,
  type RegistryServer,
  buildSucceeded,
  startRedisServer,
  startRegistry,
  testApplication,
  uniqueApp,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imagePusher } from './service.js';
import { writeBuild } from './test/layouts.js';

// The pusher as deployed: its own NATS user with only its permissions (infra/k8s/nats-users.conf),
// and a Redis ACL user (build numbers and the stage queue).
describe('the image pusher with NATS and Redis credentials', () => {
  let bus: BusFixture;
  let redis: RedisServer;
  let registry: RegistryServer;
  let pusher: StartedService<unknown>;
  let dataDir: string;
  const app = uniqueApp();

  beforeAll(async () => {
    [bus, redis, registry] = await Promise.all([
      startBusFixture({ platformUsers: true }),
      startRedisServer({ user: 'image-pusher', password: 'pusher-Passw0rd' }),
      startRegistry(),
    ]);
    dataDir = await mkdtemp(join(tmpdir(), 'pusher-credentials-'));
    pusher = await startServiceFixture(imagePusher, {
      bus,
      redisUrl: redis.url,
      apps: [testApplication(app, { imageRepository: `${registry.host}/acme/${app}` })],
      dataDir,
      env: { ...bus.envAs('image-pusher'), REGISTRY_URL: registry.url },
    });
  });
  afterAll(async () => {
    await pusher?.stop();
    await Promise.all([bus?.dispose(), redis?.dispose(), registry?.dispose()]);
  });

  it('pushes a build as its own user and publishes image.pushed, and is ready', async () => {
    const image = await writeBuild(dataDir, undefined);
    const build = buildSucceeded({ app, digest: image.root.digest, layout: image.layout });
    await bus.bus.publish(build);
    const [pushed] = await bus.events(`gitops.v1.${app}.image.>`, 1);
    expect(pushed?.json).toMatchObject({
      type: 'dev.gitops.image.pushed.v1',
      data: { digest: image.root.digest },
    });
    expect((await pusher.http.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
