import { readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { resolveInside } from '@gitops/fs';
import { parse } from 'yaml';
import { renderFailed } from '../errors.js';
import { isObject } from './objects.js';

export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/** The kustomization file in `dir`, if there is one. */
export async function kustomizationIn(dir: string): Promise<string | undefined> {
  for (const name of KUSTOMIZATION_FILES) {
    const file = join(dir, name);
    if (
      await stat(file).then(
        (s) => s.isFile(),
        () => false,
      )
    )
      return file;
  }
  return undefined;
}

const REMOTE = /^[a-z][a-z0-9+.-]*:\/\/|^git@|^github\.com\/|^gitlab\.com\/|\?ref=/i;

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((item): item is string => typeof item === 'string') : [];

/** Every path a kustomization names: resources, components, patches and generator files. */
function pathsOf(kustomization: Record<string, unknown>): string[] {
  const paths = [
    ...strings(kustomization.resources),
    ...strings(kustomization.bases),
    ...strings(kustomization.components),
    ...strings(kustomization.crds),
    ...strings(kustomization.patchesStrategicMerge).filter((entry) => !entry.includes('\n')),
  ];
  for (const field of ['patches', 'patchesJson6902', 'replacements']) {
    for (const item of Array.isArray(kustomization[field]) ? kustomization[field] : []) {
      if (isObject(item) && typeof item.path === 'string') paths.push(item.path);
    }
  }
  for (const field of ['configMapGenerator', 'secretGenerator']) {
    for (const item of Array.isArray(kustomization[field]) ? kustomization[field] : []) {
      if (!isObject(item)) continue;
      const files = strings(item.files).map((entry) => entry.slice(entry.indexOf('=') + 1));
      paths.push(...files, ...strings(item.envs), ...(typeof item.env === 'string' ? [item.env] : []));
    }
  }
  return paths;
}

/**
 * Refuses a kustomization (and those it includes) that names a remote resource or a path outside the
 * repository, symlinks included: kustomize would follow both (Argo CD and Flux restrict the same).
 */
export async function checkKustomizationRefs(
  root: string,
  dir: string,
  seen = new Set<string>(),
): Promise<void> {
  const file = await kustomizationIn(dir);
  if (!file || seen.has(file)) return;
  seen.add(file);
  const where = relative(root, file);
  let content: unknown;
  try {
    content = parse(await readFile(file, 'utf8'));
  } catch (err) {
    throw renderFailed(`${where}: ${(err as Error).message}`);
  }
  if (!isObject(content)) return;
  for (const entry of pathsOf(content)) {
    if (REMOTE.test(entry))
      throw renderFailed(`${where}: remote resource ${JSON.stringify(entry)} is refused`);
    const inside = relative(root, resolve(dirname(file), entry));
    if (inside === '..' || inside.startsWith('../') || inside.startsWith('/')) {
      throw renderFailed(`${where}: ${JSON.stringify(entry)} points outside the repository`);
    }
    const real = await resolveInside(root, inside || '.', {
      what: `${where}: resource`,
      within: 'the repository',
    }).catch((err: Error) => {
      throw renderFailed(err.message, err);
    });
    if (
      await stat(real).then(
        (s) => s.isDirectory(),
        () => false,
      )
    )
      await checkKustomizationRefs(root, real, seen);
  }
}
