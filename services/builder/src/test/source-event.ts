import { randomUUID } from 'node:crypto';
import { type Application, normaliseRepoUrl } from '@gitops/config';
import { type GitopsEvent, createEvent } from '@gitops/contracts';

/** An application as the application file would give it, building `repoURL` with the defaults. */
export function testApplication(
  name: string,
  repoURL: string,
  build: Partial<Application['build']> = {},
): Application {
  return {
    name,
    source: { repoURL, repoKey: normaliseRepoUrl(repoURL), branches: ['main'] },
    webhook: {},
    build: { context: '.', dockerfile: 'Dockerfile', driver: 'auto', ...build },
    image: { repository: `127.0.0.1:5000/acme/${name}` },
    config: { repoURL, branch: 'main', path: '.' },
    destination: { namespace: name },
    syncPolicy: { prune: false, selfHeal: false },
  };
}

/** The `source.received` a push of `sha` to `branch` of `repoURL` produces, with a fresh pipeline id. */
export function sourceEvent(
  app: string,
  repoURL: string,
  sha: string,
  branch = 'main',
): GitopsEvent<'source.received'> {
  const person = { name: 'Ada', email: 'ada@example.com' };
  return createEvent({
    name: 'source.received',
    service: 'webhook-receiver',
    data: {
      pipelineId: `${app}-${randomUUID().slice(0, 12)}`,
      app,
      commit: sha,
      provider: 'generic',
      deliveryId: randomUUID(),
      repoURL,
      ref: `refs/heads/${branch}`,
      branch,
      before: '0'.repeat(40),
      after: sha,
      pusher: person,
      headCommit: { sha, message: 'change', author: person },
    },
  });
}
