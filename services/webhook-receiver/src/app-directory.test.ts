import { parseApplications } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { AppDirectory, resolveTargets } from './app-directory.js';

const app = (name: string, repo: string, secretEnv?: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: '${repo}' }
  ${secretEnv ? `webhook: { secretEnv: ${secretEnv} }` : ''}
  image: { repository: 127.0.0.1:5000/acme/${name} }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: ${name} }
`;
const apps = parseApplications(
  [
    app('api', 'https://github.com/acme/shop.git', 'API_SECRET'),
    app('worker', 'git@github.com:acme/shop.git'),
    app('web', 'https://github.com/acme/web'),
  ].join('---\n'),
);

describe('resolveTargets', () => {
  it('uses the app’s own secret, else WEBHOOK_SECRET', () => {
    const { targets, problems } = resolveTargets(apps, { API_SECRET: 'own' }, 'shared');
    expect(targets.map((t) => [t.app.name, t.secret])).toEqual([
      ['api', 'own'],
      ['worker', 'shared'],
      ['web', 'shared'],
    ]);
    expect(problems).toEqual([]);
  });

  it('fails closed and says so when no secret is configured', () => {
    const { targets, problems } = resolveTargets(apps, {}, undefined);
    expect(targets.every((t) => t.secret === undefined)).toBe(true);
    expect(problems.map((p) => p.app)).toEqual(['api', 'api', 'worker', 'web']);
    expect(problems[0]?.problem).toBe('API_SECRET is not set');
  });
});

describe('AppDirectory', () => {
  const directory = new AppDirectory(resolveTargets(apps, {}, 's').targets);

  it('finds every application of a repository, whichever URL form the payload uses', () => {
    expect(directory.find(['https://GitHub.com/acme/shop']).map((t) => t.app.name)).toEqual([
      'api',
      'worker',
    ]);
    expect(directory.find(['not a url', 'git@github.com:acme/web.git']).map((t) => t.app.name)).toEqual([
      'web',
    ]);
  });

  it('counts an application once when the payload names its repository several ways', () => {
    expect(directory.find(['https://github.com/acme/web', 'https://github.com/acme/web.git'])).toHaveLength(
      1,
    );
  });

  it('finds nothing for an unknown repository', () => {
    expect(directory.find(['https://github.com/acme/other'])).toEqual([]);
  });
});
