import { parseApplications } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { AppDirectory, resolveTargets } from './app-directory.js';
import type { Delivery } from './providers/types.js';
import { planConfigDelivery } from './receive.js';

const { targets } = resolveTargets(
  parseApplications(`apiVersion: gitops.platform/v1
kind: Application
metadata: { name: shop }
spec:
  source: { repoURL: 'https://github.com/acme/shop.git' }
  image: { repository: 127.0.0.1:5000/acme/shop }
  config:
    repoURL: 'https://github.com/acme/shop-config'
    environments:
      - { name: dev, path: envs/dev }
      - { name: staging, path: envs/staging, branch: staging, promotion: auto }
      - { name: qa, path: envs/qa, branch: staging, promotion: approval }
  destination: { namespace: shop }
`),
  {},
  'shared',
);
const directory = new AppDirectory(targets);
const sha = (c: string) => c.repeat(40);
const push = (branch: string): Delivery => ({
  kind: 'push',
  push: {
    deliveryId: 'd-1',
    repoURLs: ['https://github.com/acme/shop-config.git'],
    ref: `refs/heads/${branch}`,
    branch,
    before: sha('a'),
    after: sha('b'),
    pusher: { name: 'Ada', email: 'ada@example.com' },
    headCommit: {
      sha: sha('b'),
      message: 'scale up',
      author: { name: 'Ada', email: 'ada@example.com' },
      timestamp: '2026-01-01T00:00:00Z',
    },
  },
});

describe('a push to a config repository', () => {
  it("finds the application by its config repository, not its source's", () => {
    expect(directory.find(['https://github.com/acme/shop-config'])).toEqual([]);
    expect(directory.findConfig(['git@github.com:acme/shop-config.git']).map((t) => t.app.name)).toEqual([
      'shop',
    ]);
  });

  it('publishes config.pushed naming the environments that live on the pushed branch', () => {
    const plan = planConfigDelivery(
      'generic',
      push('staging'),
      directory.findConfig(['https://github.com/acme/shop-config']),
    );
    expect(plan.kind).toBe('start');
    const [event] = plan.kind === 'start' ? plan.events : [];
    expect(event?.type).toBe('dev.gitops.config.pushed.v1');
    expect(event?.data).toMatchObject({
      app: 'shop',
      branch: 'staging',
      configCommit: sha('b'),
      environments: ['staging', 'qa'],
    });
    expect(event?.data).not.toHaveProperty('commit');
  });

  it('ignores a branch that holds no environment', () => {
    const plan = planConfigDelivery(
      'generic',
      push('feature'),
      directory.findConfig(['https://github.com/acme/shop-config']),
    );
    expect(plan).toEqual({ kind: 'ignored', reason: 'branch feature holds no environment' });
  });
});
