import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { parseApplications } from '@gitops/config';
import type { BusFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sign } from '../test/github-example.js';
import { type TestReceiver, startTestReceiver } from '../test/receiver.js';
import { type ProviderName, providers } from './providers/index.js';

const SECRET = 'provider-secret';
const fixture = (path: string) => readFileSync(new URL(`../test/fixtures/${path}`, import.meta.url));
const generic = Buffer.from(
  JSON.stringify({
    repoURL: 'http://git.example.com/acme/plain.git',
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: 'c'.repeat(40),
  }),
);

/** Each provider's documented push, with the headers that provider sends and signs it with. */
const deliveries: {
  provider: ProviderName;
  body: Buffer;
  headers: (body: Buffer, secret?: string) => Record<string, string>;
}[] = [
  {
    provider: 'gitlab',
    body: fixture('gitlab/push.json'),
    headers: (_, secret = SECRET) => ({ 'x-gitlab-event': 'Push Hook', 'x-gitlab-token': secret }),
  },
  {
    provider: 'gitea',
    body: fixture('gitea/push.json'),
    headers: (b, secret = SECRET) => ({
      'x-gitea-event': 'push',
      'x-gitea-signature': sign(secret, b).slice(7),
    }),
  },
  {
    provider: 'bitbucket',
    body: fixture('bitbucket-cloud/repo-push.json'),
    headers: (b, secret = SECRET) => ({ 'x-event-key': 'repo:push', 'x-hub-signature': sign(secret, b) }),
  },
  {
    provider: 'bitbucket',
    body: fixture('bitbucket-server/refs-changed.json'),
    headers: (b, secret = SECRET) => ({
      'x-event-key': 'repo:refs_changed',
      'x-hub-signature': sign(secret, b),
    }),
  },
  {
    provider: 'generic',
    body: generic,
    headers: (b, secret = SECRET) => ({ 'x-signature-256': sign(secret, b) }),
  },
];

/** An application for the repository and branch a delivery names, as a user would configure it. */
function applicationFor({ provider, body, headers }: (typeof deliveries)[number], index: number): string {
  const parsed = providers[provider].parse({ headers: headers(body), body, contentType: 'application/json' });
  if (parsed.kind !== 'push') throw new Error(`${provider} fixture is not a push`);
  return `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: app-${index} }
spec:
  source: { repoURL: '${parsed.push.repoURLs[0]}', branches: ['${parsed.push.branch}'] }
  image: { repository: 127.0.0.1:5000/acme/app-${index} }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: app-${index} }
`;
}

describe('each provider’s documented push, over HTTP into a real JetStream', () => {
  let bus: BusFixture;
  let receiver: StartedService<unknown>;
  let testReceiver: TestReceiver;

  beforeAll(async () => {
    testReceiver = await startTestReceiver(parseApplications(deliveries.map(applicationFor).join('---\n')), {
      WEBHOOK_SECRET: SECRET,
    });
    ({ bus, receiver } = testReceiver);
  });
  afterAll(() => testReceiver?.dispose());

  it.each(deliveries.map((delivery, index) => [`${delivery.provider} #${index}`, delivery, index] as const))(
    'starts a pipeline for %s and stores its source.received',
    async (_, { provider, body, headers }, index) => {
      const response = await receiver.http.inject({
        method: 'POST',
        url: `/webhooks/${provider}`,
        payload: body,
        headers: { 'content-type': 'application/json', 'x-request-uuid': randomUUID(), ...headers(body) },
      });
      expect(response.statusCode, response.body).toBe(202);
      const [stored] = await readStream(bus.nats.url, `gitops.v1.app-${index}.source.received`, {
        atLeast: 1,
      });
      expect(stored?.json.data).toMatchObject({ provider, pipelineId: response.json().pipelineId });
    },
  );

  it.each(deliveries.map((delivery) => [delivery.provider, delivery] as const))(
    'answers 401 to a %s push signed with another secret',
    async (provider, { body, headers }) => {
      const forged = Object.fromEntries(
        Object.entries(headers(body)).map(([k, v]) => [
          k,
          v.replace(/[0-9a-f]{8}$/, '00000000').replace(SECRET, 'wrong'),
        ]),
      );
      const response = await receiver.http.inject({
        method: 'POST',
        url: `/webhooks/${provider}`,
        payload: body,
        headers: { 'content-type': 'application/json', ...forged },
      });
      expect(response.statusCode).toBe(401);
    },
  );
});
