import { readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { resolveInside } from '@gitops/fs';
import { editFailed } from '../errors.js';
import { helmImage, setHelmImage } from './helm.js';
import type { ImagePin, ImageRef } from './image-ref.js';
import { KUSTOMIZATION_FILES, kustomizeImage, setKustomizeImage } from './kustomize.js';
import { manifestImages, setManifestImages } from './manifests.js';

/** One environment's folder in a checked-out config repository. */
export interface EnvironmentDir {
  repoDir: string;
  /** Relative to the repository, from the application file. */
  path: string;
  helm: { valuesFile: string; imageKey: string };
}

export type ConfigKind = 'kustomize' | 'helm' | 'manifests';

interface Located {
  kind: ConfigKind;
  /** Absolute, each inside the repository. */
  files: string[];
}

const inside = (repoDir: string, path: string, what: string) =>
  resolveInside(repoDir, path, { what, within: 'the config repository', code: 'GITOPS_CONFIG_PATH_OUTSIDE' });

const isFile = (path: string) =>
  stat(path).then(
    (s) => s.isFile(),
    () => false,
  );

/** Every .yaml/.yml file under `dir`, each checked to stay inside the repository (a symlink out is refused). */
async function manifestFiles(repoDir: string, dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const path = await inside(repoDir, relative(repoDir, join(dir, entry.name)), 'manifest');
    if ((await stat(path)).isDirectory()) found.push(...(await manifestFiles(repoDir, path)));
    else if (/\.ya?ml$/.test(entry.name)) found.push(path);
  }
  return found.sort();
}

/** Which kind of config the folder holds: a kustomization, else a Helm values file, else plain manifests. */
async function locate(env: EnvironmentDir): Promise<Located> {
  const dir = await inside(env.repoDir, env.path, 'config path');
  if (
    !(await stat(dir).then(
      (s) => s.isDirectory(),
      () => false,
    ))
  ) {
    throw editFailed(env.path, 'no such folder in the config repository');
  }
  for (const name of KUSTOMIZATION_FILES) {
    const file = join(dir, name);
    if (await isFile(file))
      return {
        kind: 'kustomize',
        files: [await inside(env.repoDir, relative(env.repoDir, file), 'kustomization')],
      };
  }
  const values = join(dir, env.helm.valuesFile);
  if (await isFile(values)) {
    return { kind: 'helm', files: [await inside(env.repoDir, relative(env.repoDir, values), 'values file')] };
  }
  return { kind: 'manifests', files: await manifestFiles(env.repoDir, dir) };
}

function edit(kind: ConfigKind, text: string, pin: ImagePin, env: EnvironmentDir, file: string): string {
  if (kind === 'kustomize') return setKustomizeImage(text, pin);
  if (kind === 'helm') return setHelmImage(text, env.helm.imageKey, pin, file);
  return setManifestImages(text, pin, file);
}

const failure = (env: EnvironmentDir, err: unknown) =>
  err instanceof Error && 'code' in err ? err : editFailed(env.path, (err as Error).message);

/**
 * Pins the image in the environment's folder, writing only files whose text changed; answers the
 * kind of config and the changed files (none: it was pinned already). Plain manifests of which no
 * workload runs the repository are refused: the pin would go nowhere.
 */
export async function pinImage(
  env: EnvironmentDir,
  pin: ImagePin,
): Promise<{ kind: ConfigKind; changed: string[] }> {
  try {
    const { kind, files } = await locate(env);
    const changed: string[] = [];
    let refers = false;
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const name = relative(env.repoDir, file);
      if (kind === 'manifests' && manifestImages(text, pin.repository, name).length > 0) refers = true;
      const next = edit(kind, text, pin, env, name);
      if (next !== text) {
        await writeFile(file, next);
        changed.push(name);
      }
    }
    if (kind === 'manifests' && !refers) throw editFailed(env.path, `no workload runs ${pin.repository}`);
    return { kind, changed };
  } catch (err) {
    throw failure(env, err);
  }
}

/** The image of the repository the environment's folder pins now, if it names one. */
export async function currentImage(env: EnvironmentDir, repository: string): Promise<ImageRef | undefined> {
  try {
    const { kind, files } = await locate(env);
    for (const file of files) {
      const text = await readFile(file, 'utf8');
      const name = relative(env.repoDir, file);
      if (kind === 'kustomize') return kustomizeImage(text, repository);
      if (kind === 'helm') return helmImage(text, env.helm.imageKey, name);
      const [first] = manifestImages(text, repository, name);
      if (first) return first;
    }
    return undefined;
  } catch (err) {
    throw failure(env, err);
  }
}
