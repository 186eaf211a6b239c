import { randomBytes, randomUUID } from 'node:crypto';
import { parseApplications } from '@gitops/config';
import type { BusFixture } from '@gitops/fixtures';
import type { StartedService } from '@gitops/service';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { githubBranchPush, githubHeaders } from '../test/github-example.js';
import { type TestReceiver, startTestReceiver } from '../test/receiver.js';

const SECRET = 'oversized-secret';
const MiB = 1024 * 1024;
const apps = parseApplications(`apiVersion: gitops.platform/v1
kind: Application
metadata: { name: hello }
spec:
  source: { repoURL: 'https://github.com/Codertocat/Hello-World.git', branches: [master] }
  image: { repository: 127.0.0.1:5000/acme/hello }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: hello }
`);
const truncatedBytes = (text: string) => Number(/…\[truncated (\d+) bytes\]$/.exec(text)?.[1]);

describe('a push whose free text would not fit on the bus', () => {
  let fixture: BusFixture;
  let receiver: StartedService<unknown>;
  let testReceiver: TestReceiver;

  beforeAll(async () => {
    testReceiver = await startTestReceiver(apps, { WEBHOOK_SECRET: SECRET });
    ({ bus: fixture, receiver } = testReceiver);
  });
  afterAll(() => testReceiver?.dispose());

  it('is stored in JetStream with its message and names cut, the event under 64 KiB', async () => {
    const after = randomBytes(20).toString('hex');
    const message = `Add the fixtures\n\n${'x'.repeat(2 * MiB)}`;
    const longName = 'Ω'.repeat(100_000);
    const body = JSON.stringify({
      ...githubBranchPush,
      after,
      head_commit: {
        ...(githubBranchPush.head_commit as object),
        id: after,
        message,
        author: { name: longName, email: `${'e'.repeat(100_000)}@example.com` },
      },
      pusher: { name: longName, email: 'pusher@example.com' },
    });
    const response = await receiver.http.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: githubHeaders(SECRET, body, randomUUID()),
    });
    expect(response.statusCode, response.body).toBe(202);
    const [stored] = await fixture.events('gitops.v1.hello.source.received', 1);
    expect(Buffer.byteLength(JSON.stringify(stored!.json))).toBeLessThan(64 * 1024);
    const data = stored!.json.data as {
      headCommit: { message: string; author: { name: string; email: string } };
      pusher: { name: string; email: string };
    };
    expect(data.headCommit.message.startsWith('Add the fixtures\n\nxxx')).toBe(true);
    const kept = data.headCommit.message.replace(/…\[truncated \d+ bytes\]$/, '');
    expect(truncatedBytes(data.headCommit.message)).toBe(Buffer.byteLength(message) - kept.length);
    expect(data.headCommit.author.name).toMatch(/^Ω+…\[truncated \d+ bytes\]$/);
    expect(data.headCommit.author.email).toMatch(/^e+…\[truncated \d+ bytes\]$/);
    expect(data.pusher).toEqual({ name: data.headCommit.author.name, email: 'pusher@example.com' });
  });
});
