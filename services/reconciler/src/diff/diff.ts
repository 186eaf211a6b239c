import { createHash } from 'node:crypto';
import type { IgnoreDifference } from '@gitops/config';
import { stringify } from 'yaml';
import { type KubeObject, type ObjectRef, keyOf, refOf } from '../manifests/objects.js';
import { differingPaths, project, setAt, valueAt } from './compare.js';
import { ownedLeaves } from './managed-fields.js';
import { ignoredPointers, normalise, withoutPointers } from './normalise.js';
import { unifiedDiff } from './unified.js';

export type DiffAction = 'create' | 'update' | 'unchanged';

/** One resource of a diff: what a sync would do to it and why. */
export interface ResourceDiff {
  key: string;
  ref: ObjectRef;
  action: DiffAction;
  /** JSON pointers of the fields that differ (for a create: none). */
  fields: string[];
  /** Unified diff of the live object (cut to what Git sets) against the desired one, as YAML. */
  diff: string;
  /** The two sides of `diff` as JSON, normalised, Secret values hashed (`live` absent: no live object). */
  json: { desired: unknown; live?: unknown };
}

export interface DiffOptions {
  ignoreDifferences?: readonly IgnoreDifference[];
  /** Our field manager: fields it applied before that Git no longer has count as differences. */
  manager?: string;
}

/** Secret values never reach a diff's text: each shows as a short hash, so a change still shows. */
function masked(value: unknown): unknown {
  const object = value as KubeObject | undefined;
  if (!object || object.kind !== 'Secret') return value;
  const copy = structuredClone(object);
  for (const field of ['data', 'stringData']) {
    const entries = copy[field] as Record<string, unknown> | undefined;
    if (!entries || typeof entries !== 'object') continue;
    for (const key of Object.keys(entries)) {
      entries[key] =
        `<secret sha256:${createHash('sha256').update(String(entries[key])).digest('hex').slice(0, 12)}>`;
    }
  }
  return copy;
}

export const yaml = (value: unknown) =>
  value === undefined ? '' : stringify(masked(value), { sortMapEntries: true });

/**
 * Desired against live, normalised: server-populated fields, status and defaults the server added
 * never differ; `ignoreDifferences` pointers are dropped on both sides. A field our manager applied
 * before and Git dropped differs (server-side apply would remove it).
 */
export function diffObject(
  desired: KubeObject,
  live: KubeObject | undefined,
  options: DiffOptions = {},
): ResourceDiff {
  const ref = refOf(desired);
  const key = keyOf(ref);
  const pointers = ignoredPointers(desired, options.ignoreDifferences ?? []);
  const want = withoutPointers(normalise(desired), pointers);
  const sides = (projected?: unknown) => ({
    json: { desired: masked(want), ...(projected ? { live: masked(projected) } : {}) },
  });
  if (!live) return { key, ref, action: 'create', fields: [], diff: unifiedDiff('', yaml(want)), ...sides() };
  const actual = withoutPointers(normalise(live), pointers);
  const projected = project(want, actual) as KubeObject;
  const fields = differingPaths(want, projected);
  if (options.manager) {
    for (const path of ownedLeaves(live, options.manager)) {
      const isIgnored = pointers.some((pointer) => path === pointer || path.startsWith(`${pointer}/`));
      if (isIgnored || valueAt(want, path) !== undefined || path.startsWith('/status')) continue;
      const value = valueAt(actual, path);
      if (value === undefined) continue;
      fields.push(path);
      setAt(projected, path, value);
    }
  }
  if (fields.length === 0) return { key, ref, action: 'unchanged', fields, diff: '', ...sides(projected) };
  return {
    key,
    ref,
    action: 'update',
    fields,
    diff: unifiedDiff(yaml(projected), yaml(want)),
    ...sides(projected),
  };
}
