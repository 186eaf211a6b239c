import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApplications } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { testApplication, writeApplications } from './applications.js';

describe('writeApplications', () => {
  it('writes an application file the loader reads back into the same applications', async () => {
    const apps = [
      testApplication('hello'),
      testApplication('locked', {
        repoURL: 'git@github.com:acme/locked.git',
        branches: ['release/**'],
        build: { driver: 'buildah', dockerfile: 'build/Dockerfile' },
        secretEnv: 'LOCKED_SECRET',
      }),
    ];
    const file = await writeApplications(await mkdtemp(join(tmpdir(), 'apps-')), apps);
    expect(loadApplications(file)).toEqual(apps);
  });
});
