import {
  type FieldSet,
  type PathElement,
  fieldsOf,
  findItem,
  fromFieldsV1,
  isUnder,
  keyElement,
  listKeys,
  toFieldsV1,
} from './fieldpath.js';
import type { ResourceType } from './resources.js';
import {
  type JsonObject,
  type KubeObject,
  type ManagedFieldsEntry,
  clone,
  deepEqual,
  isObject,
  unset,
} from './types.js';

/** One `managedFields` entry with its fields as a set. */
export interface Owner {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  subresource?: string;
  fields: FieldSet;
}

export const now = (): string => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

export const sameOwner = (a: Pick<Owner, 'manager' | 'operation' | 'subresource'>, b: typeof a): boolean =>
  a.manager === b.manager && a.operation === b.operation && (a.subresource ?? '') === (b.subresource ?? '');

export function readOwners(obj: KubeObject | undefined): Owner[] {
  return (obj?.metadata.managedFields ?? []).map((entry) => ({
    manager: entry.manager,
    operation: entry.operation,
    apiVersion: entry.apiVersion,
    time: entry.time,
    ...(entry.subresource ? { subresource: entry.subresource } : {}),
    fields: fromFieldsV1(entry.fieldsV1 ?? {}),
  }));
}

export function writeOwners(owners: Owner[]): ManagedFieldsEntry[] {
  return owners
    .filter((owner) => owner.fields.size > 0)
    .map((owner) => ({
      manager: owner.manager,
      operation: owner.operation,
      apiVersion: owner.apiVersion,
      time: owner.time,
      fieldsType: 'FieldsV1',
      fieldsV1: toFieldsV1(owner.fields),
      ...(owner.subresource ? { subresource: owner.subresource } : {}),
    }));
}

const IDENTITY = [
  'name',
  'namespace',
  'uid',
  'resourceVersion',
  'generation',
  'creationTimestamp',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'selfLink',
  'managedFields',
];

/** The part of an object whose fields are tracked for a write to the main resource or to `status`. */
export function trackedView(obj: KubeObject, type: ResourceType, subresource?: string): JsonObject {
  if (subresource === 'status') return obj.status === undefined ? {} : { status: clone(obj.status) };
  const { apiVersion: _a, kind: _k, ...rest } = clone(obj) as JsonObject;
  if (type.statusSubresource) unset(rest, 'status');
  const metadata = isObject(rest.metadata) ? rest.metadata : {};
  for (const field of IDENTITY) unset(metadata, field);
  if (Object.keys(metadata).length === 0) unset(rest, 'metadata');
  return rest;
}

/** Fields a write added or changed, and fields it removed. */
export function changedFields(
  before: unknown,
  after: unknown,
  keyed: boolean,
): { changed: FieldSet; removed: FieldSet } {
  const out = { changed: new Set<string>(), removed: new Set<string>() };
  compare(before, after, keyed, [], out);
  return out;
}

function compare(
  a: unknown,
  b: unknown,
  keyed: boolean,
  path: PathElement[],
  out: { changed: FieldSet; removed: FieldSet },
) {
  if (isObject(a) && isObject(b)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const child = [...path, `f:${key}`];
      if (!(key in b)) fieldsOf(a[key], keyed, child, out.removed);
      else if (!(key in a)) fieldsOf(b[key], keyed, child, out.changed);
      else compare(a[key], b[key], keyed, child, out);
    }
    return;
  }
  const field = path[path.length - 1]?.slice(2) ?? '';
  if (Array.isArray(a) && Array.isArray(b)) {
    const keys = listKeys(field, a.length > 0 ? a : b, keyed);
    const keysB = listKeys(field, b.length > 0 ? b : a, keyed);
    if (keys && keysB && deepEqual(keys, keysB)) {
      for (const item of b as JsonObject[]) {
        const element = keyElement(item, keys);
        const before = findItem(a, element)?.item;
        if (before) compare(before, item, keyed, [...path, element], out);
        else fieldsOf([item], keyed, path, out.changed);
      }
      for (const item of a as JsonObject[]) {
        if (!findItem(b, keyElement(item, keys))) fieldsOf([item], keyed, path, out.removed);
      }
      return;
    }
  }
  if (deepEqual(a, b)) return;
  const added = fieldsOf(b, keyed, path);
  for (const p of added) out.changed.add(p);
  for (const p of fieldsOf(a, keyed, path)) if (!added.has(p)) out.removed.add(p);
}

/**
 * Ownership after an update-style write (PUT, merge patch, a person's edit, a status write): the writer
 * takes every field it changed, and nobody keeps fields that were changed or removed.
 */
export function trackUpdate(
  owners: Owner[],
  before: JsonObject,
  after: JsonObject,
  writer: { manager: string; apiVersion: string; subresource?: string },
  keyed: boolean,
): Owner[] {
  const { changed, removed } = changedFields(before, after, keyed);
  if (changed.size === 0 && removed.size === 0) return owners;
  const touched = [...changed, ...removed];
  const hit = (path: string) => touched.some((t) => isUnder(path, t));
  const me = { ...writer, operation: 'Update' as const };
  const next = owners.map((owner) =>
    sameOwner(owner, me) ? owner : { ...owner, fields: new Set([...owner.fields].filter((p) => !hit(p))) },
  );
  const mine = next.find((owner) => sameOwner(owner, me));
  const kept = mine ? [...mine.fields].filter((p) => !removed.has(p)) : [];
  const updated: Owner = { ...me, time: now(), fields: new Set([...kept, ...changed]) };
  return mine ? next.map((owner) => (owner === mine ? updated : owner)) : [...next, updated];
}
