import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import {
  type GitServer,
  type RedisServer,
  sourceReceived,
  startGitServer,
  startRedisServer,
  testApplication,
  uniqueApp,
} from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { builder } from './service.js';
import { createSourceRepo } from './test/source-repo.js';

const REDIS_PASSWORD = 'r3dis-Passw0rd';

// The builder as deployed: its own NATS user with only its permissions (infra/k8s/nats-users.conf),
// and a Redis that needs a password.
describe('the builder with NATS and Redis credentials', () => {
  let bus: BusFixture;
  let redis: RedisServer;
  let git: GitServer;
  const started: StartedService<unknown>[] = [];

  beforeAll(async () => {
    [bus, redis, git] = await Promise.all([
      startBusFixture({ platformUsers: true }),
      startRedisServer({ password: REDIS_PASSWORD }),
      startGitServer(),
    ]);
  });
  afterAll(async () => {
    await Promise.all(started.map((service) => service.stop()));
    await Promise.all([bus?.dispose(), redis?.dispose(), git?.dispose()]);
  });

  it('builds a pushed commit as its own user, and is ready', async () => {
    const app = uniqueApp();
    const repo = await createSourceRepo(git, `acme/${app}`);
    const service = await startServiceFixture(builder, {
      bus,
      redisUrl: redis.url,
      apps: [testApplication(app, { repoURL: repo.url })],
      env: bus.envAs('builder'),
    });
    started.push(service);
    const sha = await repo.push({ Dockerfile: 'FROM scratch\nCOPY app.txt /app.txt\n', 'app.txt': 'hi\n' });
    await bus.bus.publish(sourceReceived(app, { repoURL: repo.url, commit: sha }));
    const events = await bus.events(`gitops.v1.${app}.build.>`, 2);
    expect(events.map((event) => event.json.type)).toEqual([
      'dev.gitops.build.started.v1',
      'dev.gitops.build.succeeded.v1',
    ]);
    const ready = await service.http.inject({ url: '/readyz' });
    expect(ready.statusCode).toBe(200);
  });

  it('refuses to start with a wrong NATS password, in one line naming NATS_URL without the password', async () => {
    const url = new URL(bus.envAs('builder').NATS_URL);
    url.password = 'wrong-Passw0rd';
    const start = startServiceFixture(builder, {
      bus,
      redisUrl: redis.url,
      apps: [testApplication(uniqueApp())],
      env: { NATS_URL: url.toString() },
    });
    const failure = await start.then(
      () => undefined,
      (err: Error) => err.message,
    );
    expect(failure).toBe(
      `cannot connect to NATS at nats://127.0.0.1:${url.port} (NATS_URL) as builder: Authorization Violation`,
    );
  });
});
