import { randomUUID } from 'node:crypto';
import { type GitopsEvent, createEvent, pipelineOf } from '@gitops/contracts';
import { type Logger, createLogger } from '@gitops/telemetry';

const sha = 'a'.repeat(40);

/** A fresh application name per test, so subjects never collide on a shared stream. */
export const uniqueApp = () => `app-${randomUUID().slice(0, 8)}`;

export type SourceReceived = GitopsEvent<'source.received'>;

/** A valid source.received event of `app` with a unique pipeline id; `overrides` replace data fields. */
export function sourceReceived(app: string, overrides: Partial<SourceReceived['data']> = {}): SourceReceived {
  return createEvent({
    name: 'source.received',
    service: 'webhook-receiver',
    data: {
      pipelineId: `${app}-${randomUUID().slice(0, 8)}`,
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
      ...overrides,
    },
  });
}

const pipeline = (source: GitopsEvent) =>
  pipelineOf(source.data as { pipelineId: string; app: string; commit: string });

/** The event a test stage answers for a source event. */
export const buildStarted = (source: GitopsEvent) =>
  createEvent({ name: 'build.started', service: 'builder', data: pipeline(source) });

/** The event a test stage publishes once it gives up. */
export const buildFailed = (source: GitopsEvent, message: string) =>
  createEvent({
    name: 'build.failed',
    service: 'builder',
    data: { ...pipeline(source), durationMs: 0, steps: [], error: { message } },
  });

/** Tests log nothing unless TEST_LOG_LEVEL asks for it. */
export const testLogger = (): Logger =>
  createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
