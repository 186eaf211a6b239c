import { randomUUID } from 'node:crypto';
import { type GitopsEvent, createEvent } from '@gitops/contracts';
import { createLogger } from '@gitops/telemetry';

const sha = 'a'.repeat(40);

/** A fresh application name per test, so subjects never collide on a shared stream. */
export const uniqueApp = () => `app-${randomUUID().slice(0, 8)}`;

/** A valid source.received event of `app` with a unique pipeline id. */
export function sourceReceived(app: string, pipelineId = `${app}-${randomUUID().slice(0, 8)}`) {
  return createEvent({
    name: 'source.received',
    service: 'webhook-receiver',
    data: {
      pipelineId,
      app,
      commit: sha,
      provider: 'generic',
      deliveryId: randomUUID(),
      repoURL: 'http://127.0.0.1/acme/hello.git',
      ref: 'refs/heads/main',
      branch: 'main',
      before: '0'.repeat(40),
      after: sha,
      pusher: { name: 'Ada', email: 'ada@example.com' },
      headCommit: { sha, message: 'feat: x', author: { name: 'Ada', email: 'ada@example.com' } },
    },
  });
}

/** Tests log nothing unless TEST_LOG_LEVEL asks for it. */
export const testLogger = () =>
  createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });

export type SourceReceived = GitopsEvent<'source.received'>;
