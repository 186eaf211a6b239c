import { mkdir, mkdtemp, readFile, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPOSITORY, digestOf } from '../test/config-repo.js';
import { currentImage, pinImage } from './config-dir.js';

const helm = { valuesFile: 'values.yaml', imageKey: 'image' };
const pin = { repository: REPOSITORY, digest: digestOf(1), tag: 'main-abc1234-1' };

async function repoWith(files: Record<string, string>) {
  const repoDir = await mkdtemp(join(tmpdir(), 'config-dir-'));
  for (const [path, text] of Object.entries(files)) {
    await mkdir(join(repoDir, path, '..'), { recursive: true });
    await writeFile(join(repoDir, path), text);
  }
  return repoDir;
}

const deployment = (image: string) =>
  `kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n        - image: ${image}\n`;

describe('an environment folder', () => {
  it('pins plain manifests in every file below it, and reads the pin back', async () => {
    const repoDir = await repoWith({
      'envs/dev/a.yaml': deployment(`${REPOSITORY}:old`),
      'envs/dev/nested/b.yml': deployment(`${REPOSITORY}:old`),
      'envs/dev/notes.txt': `${REPOSITORY}:old`,
    });
    const env = { repoDir, path: 'envs/dev', helm };
    expect(await pinImage(env, pin)).toEqual({
      kind: 'manifests',
      changed: ['envs/dev/a.yaml', 'envs/dev/nested/b.yml'],
    });
    expect(await readFile(join(repoDir, 'envs/dev/notes.txt'), 'utf8')).toBe(`${REPOSITORY}:old`);
    expect(await currentImage(env, REPOSITORY)).toEqual(pin);
    expect(await pinImage(env, pin)).toEqual({ kind: 'manifests', changed: [] });
  });

  it('prefers the kustomization, then the values file', async () => {
    const repoDir = await repoWith({
      'k/kustomization.yaml': 'kind: Kustomization\n',
      'k/values.yaml': 'image: {}\n',
      'h/values.yaml': 'image: {}\n',
      'h/deploy.yaml': deployment(`${REPOSITORY}:old`),
    });
    expect((await pinImage({ repoDir, path: 'k', helm }, pin)).kind).toBe('kustomize');
    expect(await pinImage({ repoDir, path: 'h', helm }, pin)).toEqual({
      kind: 'helm',
      changed: ['h/values.yaml'],
    });
  });

  it('refuses a missing folder, a folder that runs no such image, and a manifest linked from outside', async () => {
    const repoDir = await repoWith({ 'envs/other/a.yaml': deployment('nginx:1') });
    await expect(pinImage({ repoDir, path: 'envs/none', helm }, pin)).rejects.toMatchObject({
      code: 'GITOPS_CONFIG_EDIT_FAILED',
    });
    await expect(pinImage({ repoDir, path: 'envs/other', helm }, pin)).rejects.toThrow(/no workload runs/);
    const outside = await repoWith({ 'x.yaml': deployment(`${REPOSITORY}:old`) });
    await symlink(join(outside, 'x.yaml'), join(repoDir, 'envs/other/linked.yaml'));
    await expect(pinImage({ repoDir, path: 'envs/other', helm }, pin)).rejects.toMatchObject({
      code: 'GITOPS_CONFIG_PATH_OUTSIDE',
    });
    expect(await readFile(join(outside, 'x.yaml'), 'utf8')).toBe(deployment(`${REPOSITORY}:old`));
  });
});
