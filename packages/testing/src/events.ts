import { randomUUID } from 'node:crypto';
import { type GitopsEvent, createEvent, pipelineOf } from '@gitops/contracts';
import { type Logger, createLogger } from '@gitops/telemetry';

/** Fake events of every stage, shaped as the stage that owns them publishes them. */

export const TEST_SHA = '0123456789abcdef0123456789abcdef01234567';

/** A fresh application name per test, so subjects never collide on a shared stream. */
export const uniqueApp = () => `app-${randomUUID().slice(0, 8)}`;

export type SourceReceived = GitopsEvent<'source.received'>;

export interface PushFacts {
  commit?: string;
  repoURL?: string;
  branch?: string;
  pipelineId?: string;
  /** The time the receiver got the push (default now). */
  time?: Date;
}

const person = { name: 'Ada', email: 'ada@example.com' };

/** The source.received of a push of `commit` to `branch` of `repoURL`, with a fresh pipeline id. */
export function sourceReceived(app: string, facts: PushFacts = {}): SourceReceived {
  const commit = facts.commit ?? TEST_SHA;
  const branch = facts.branch ?? 'main';
  return createEvent({
    name: 'source.received',
    service: 'webhook-receiver',
    ...(facts.time ? { time: facts.time } : {}),
    data: {
      pipelineId: facts.pipelineId ?? `${app}-${randomUUID().slice(0, 12)}`,
      app,
      commit,
      provider: 'generic',
      deliveryId: randomUUID(),
      repoURL: facts.repoURL ?? `http://git.test/acme/${app}.git`,
      ref: `refs/heads/${branch}`,
      branch,
      before: '0'.repeat(40),
      after: commit,
      pusher: person,
      headCommit: { sha: commit, message: 'change', author: person },
    },
  });
}

const pipeline = (event: GitopsEvent) =>
  pipelineOf(event.data as { pipelineId: string; app: string; commit: string });

/** build.started for a source event. */
export const buildStarted = (source: GitopsEvent) =>
  createEvent({ name: 'build.started', service: 'builder', data: pipeline(source) });

/** build.failed for a source event. */
export const buildFailed = (source: GitopsEvent, message: string) =>
  createEvent({
    name: 'build.failed',
    service: 'builder',
    data: { ...pipeline(source), durationMs: 0, steps: [], error: { message } },
  });

export interface BuildFacts {
  app: string;
  digest: string;
  /** The OCI layout relative to GITOPS_DATA_DIR. */
  layout: string;
  ref?: string;
  baseImages?: { name: string; digest: string }[];
  pipelineId?: string;
}

/** build.succeeded as the builder publishes it: 12 s of steps ending at a fixed time. */
export const buildSucceeded = (facts: BuildFacts): GitopsEvent<'build.succeeded'> =>
  createEvent({
    name: 'build.succeeded',
    service: 'builder',
    time: new Date('2026-11-27T05:00:00.000Z'),
    data: {
      pipelineId: facts.pipelineId ?? `${facts.app}-${randomUUID().slice(0, 8)}`,
      app: facts.app,
      commit: TEST_SHA,
      durationMs: 12_000,
      steps: [
        { name: 'install', status: 'succeeded', durationMs: 4000, exitCode: 0 },
        { name: 'image', status: 'succeeded', durationMs: 8000 },
      ],
      image: {
        digest: facts.digest,
        size: 1234,
        layout: facts.layout,
        ...(facts.baseImages ? { baseImages: facts.baseImages } : {}),
      },
      source: {
        repoURL: `http://git.test/acme/${facts.app}.git`,
        ref: facts.ref ?? 'refs/heads/main',
        branch: facts.ref?.startsWith('refs/tags/') ? '' : 'main',
      },
    },
  });

/** image.pushed for a build, as the image pusher publishes it. */
export const imagePushed = (build: GitopsEvent<'build.succeeded'>, repository: string) =>
  createEvent({
    name: 'image.pushed',
    service: 'image-pusher',
    data: {
      ...pipeline(build),
      repository,
      tags: [`main-${TEST_SHA.slice(0, 7)}-1`],
      digest: build.data.image.digest,
      bytesUploaded: build.data.image.size,
      bytesSkipped: 0,
      durationMs: 100,
    },
  });

/** Tests log nothing unless TEST_LOG_LEVEL asks for it. */
export const testLogger = (): Logger =>
  createLogger({ service: 'test', level: process.env.TEST_LOG_LEVEL ?? 'silent' });
