import { randomUUID } from 'node:crypto';
import { type BusFixture, startBusFixture, startServiceFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { testApplication, uniqueApp } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubBranchPush, githubHeaders } from '../test/github-example.js';
import { webhookReceiver } from './service.js';

// The receiver as deployed: its own NATS user, which may publish source.* and config.pushed only
// (infra/k8s/nats-users.conf).
describe('the webhook receiver with NATS credentials', () => {
  let bus: BusFixture;
  let receiver: StartedService<unknown>;
  const app = uniqueApp();
  const repoURL = (githubBranchPush.repository as { clone_url: string }).clone_url;

  beforeAll(async () => {
    bus = await startBusFixture({ platformUsers: true });
    receiver = await startServiceFixture(webhookReceiver, {
      bus,
      // It holds no queue: Redis is never opened.
      redisUrl: 'redis://:unused@127.0.0.1:1',
      apps: [testApplication(app, { repoURL, branches: ['*'] })],
      env: { ...bus.envAs('webhook-receiver'), WEBHOOK_SECRET: 'receiver-secret' },
    });
  });
  afterAll(async () => {
    await receiver?.stop();
    await bus?.dispose();
  });

  it('stores a signed push as source.received as its own user, and is ready', async () => {
    const payload = JSON.stringify(githubBranchPush);
    const res = await receiver.http.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload,
      headers: githubHeaders('receiver-secret', payload, randomUUID()),
    });
    expect(res.statusCode).toBe(202);
    const [stored] = await bus.events(`gitops.v1.${app}.source.received`, 1);
    expect(stored?.json.type).toBe('dev.gitops.source.received.v1');
    expect((await receiver.http.inject({ url: '/readyz' })).statusCode).toBe(200);
  });
});
