import { randomUUID } from 'node:crypto';
import type { Application } from '@gitops/config';
import { type GitopsEvent, createEvent } from '@gitops/contracts';

export const SHA = '0123456789abcdef0123456789abcdef01234567';

/** An application as the loader makes it, with only what the pusher reads mattering. */
export const testApp = (name: string, repository: string): Application => ({
  name,
  source: { repoURL: 'http://git.test/acme/hello.git', repoKey: 'git.test/acme/hello', branches: ['main'] },
  webhook: {},
  build: { context: '.', dockerfile: 'Dockerfile', driver: 'auto' },
  image: { repository },
  config: { repoURL: 'http://git.test/acme/config.git', branch: 'main', path: '.' },
  destination: { namespace: name },
  syncPolicy: { prune: false, selfHeal: false },
});

export interface BuildFacts {
  app: string;
  digest: string;
  layout: string;
  ref?: string;
  baseImages?: { name: string; digest: string }[];
  pipelineId?: string;
}

/** A build.succeeded event as the builder publishes it. */
export const buildSucceeded = (facts: BuildFacts): GitopsEvent<'build.succeeded'> =>
  createEvent({
    name: 'build.succeeded',
    service: 'builder',
    time: new Date('2026-11-27T05:00:00.000Z'),
    data: {
      pipelineId: facts.pipelineId ?? `${facts.app}-${randomUUID().slice(0, 8)}`,
      app: facts.app,
      commit: SHA,
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
        repoURL: 'http://git.test/acme/hello.git',
        ref: facts.ref ?? 'refs/heads/main',
        branch: facts.ref?.startsWith('refs/tags/') ? '' : 'main',
      },
    },
  });
