import { parseApplications } from '@gitops/config';
import { AppError } from '@gitops/errors';
import { describe, expect, it } from 'vitest';
import { resolveTargets } from './app-directory.js';
import { oneRepository } from './receive.js';

const app = (name: string, repo: string) => `apiVersion: gitops.platform/v1
kind: Application
metadata: { name: ${name} }
spec:
  source: { repoURL: '${repo}' }
  image: { repository: 127.0.0.1:5000/acme/${name} }
  config: { repoURL: 'https://example.com/acme/config' }
  destination: { namespace: ${name} }
`;
const { targets } = resolveTargets(
  parseApplications(
    [
      app('api', 'https://github.com/acme/shop.git'),
      app('worker', 'git@github.com:acme/shop.git'),
      app('web', 'https://github.com/acme/web'),
    ].join('---\n'),
  ),
  {},
  'shared',
);
const named = (...names: string[]) => targets.filter((t) => names.includes(t.app.name));

describe('oneRepository', () => {
  it('keeps every application of one repository, however its URL is written (a monorepo)', () => {
    expect(oneRepository(named('api', 'worker')).map((t) => t.app.name)).toEqual(['api', 'worker']);
  });

  it('refuses targets of two repositories with a 400 naming both applications and URLs', () => {
    let error: unknown;
    try {
      oneRepository(named('api', 'web'));
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({
      code: 'GITOPS_WEBHOOK_AMBIGUOUS_REPOSITORY',
      statusCode: 400,
      message: expect.stringContaining(
        'api: https://github.com/acme/shop.git, web: https://github.com/acme/web',
      ),
    });
  });
});
