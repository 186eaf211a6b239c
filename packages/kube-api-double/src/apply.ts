import {
  type FieldSet,
  fieldsOf,
  findItem,
  isUnder,
  keyElement,
  listKeys,
  removeAt,
  split,
  valueAt,
} from './fieldpath.js';
import { type Owner, now, readOwners, sameOwner, trackedView, writeOwners } from './managed.js';
import type { ResourceType } from './resources.js';
import { type JsonObject, type KubeObject, clone, deepEqual, isObject } from './types.js';

export interface Conflict {
  /** The other manager as the real server prints it: `"name"`, plus `using <apiVersion>` for an Update manager. */
  manager: string;
  path: string;
}

function printManager(owner: Owner): string {
  const name = `"${owner.manager}"${owner.subresource ? ` with subresource "${owner.subresource}"` : ''}`;
  return owner.operation === 'Update' ? `${name} using ${owner.apiVersion}` : name;
}

export interface ApplyRequest {
  live: KubeObject | undefined;
  config: KubeObject;
  type: ResourceType;
  manager: string;
  force: boolean;
  /** 'status' for an apply to the status subresource (a controller's). */
  subresource?: string;
}

/**
 * Server-side apply as the API documents it: the applier's config is merged into the live object, the applier
 * owns exactly the fields of its config, a field another manager owns with a different value is a conflict
 * unless forced (then ownership moves), and fields the applier dropped are removed when nobody else owns them.
 */
export function applyConfig(req: ApplyRequest): { object: KubeObject } | { conflicts: Conflict[] } {
  const { live, config, type, manager } = req;
  const keyed = type.builtin;
  const applied = trackedView(config, type, req.subresource);
  const fields = fieldsOf(applied, keyed);
  const owners = readOwners(live);
  const me = {
    manager,
    operation: 'Apply' as const,
    ...(req.subresource ? { subresource: req.subresource } : {}),
  };
  const others = owners.filter((owner) => !sameOwner(owner, me) && owner.manager !== manager);
  const base: KubeObject = live
    ? clone(live)
    : {
        apiVersion: config.apiVersion,
        kind: config.kind,
        metadata: {
          name: config.metadata.name,
          ...(type.namespaced ? { namespace: config.metadata.namespace } : {}),
        },
      };

  const conflicts = findConflicts(fields, applied, base, others);
  if (conflicts.length > 0 && !req.force) return { conflicts };
  const forced = new Set(conflicts.map((c) => c.path));
  const nextOthers = others.map((owner) =>
    forced.size === 0
      ? owner
      : { ...owner, fields: new Set([...owner.fields].filter((p) => !forced.has(p))) },
  );

  mergeInto(base as JsonObject, applied, keyed);
  const previous = owners.find((owner) => sameOwner(owner, me));
  removeDropped(base as JsonObject, previous?.fields ?? new Set(), fields, nextOthers);

  // Like the real field manager, the entry's time moves only when this apply changed the object or the entry.
  const sameFields =
    previous && previous.fields.size === fields.size && [...fields].every((p) => previous.fields.has(p));
  const unchanged = sameFields && previous.apiVersion === config.apiVersion && sameContent(base, live);
  const mine: Owner = {
    ...me,
    apiVersion: config.apiVersion,
    time: unchanged ? previous.time : now(),
    fields,
  };
  const nextOwners = owners.map((owner) => {
    if (sameOwner(owner, me)) return mine;
    return nextOthers.find((o) => sameOwner(o, owner)) ?? owner;
  });
  if (!previous) nextOwners.push(mine);
  base.metadata.managedFields = writeOwners(nextOwners);
  return { object: base };
}

function sameContent(a: KubeObject, b: KubeObject | undefined): boolean {
  if (!b) return false;
  const { managedFields: _a, ...metaA } = a.metadata;
  const { managedFields: _b, ...metaB } = b.metadata;
  return deepEqual({ ...a, metadata: metaA }, { ...b, metadata: metaB });
}

function findConflicts(fields: FieldSet, applied: JsonObject, live: KubeObject, others: Owner[]): Conflict[] {
  const conflicts: Conflict[] = [];
  for (const path of fields) {
    const last = split(path).pop() ?? '';
    if (last.startsWith('k:')) continue;
    const current = valueAt(live, path);
    if (current === undefined || deepEqual(current, valueAt(applied, path))) continue;
    for (const owner of others) {
      if (owner.fields.has(path)) conflicts.push({ manager: printManager(owner), path });
    }
  }
  return conflicts;
}

/** Merges an applied config into an object: maps field by field, keyed lists item by item, the rest replaced. */
function mergeInto(target: JsonObject, patch: JsonObject, keyed: boolean): void {
  for (const [field, value] of Object.entries(patch)) {
    const current = target[field];
    if (isObject(value) && isObject(current)) {
      mergeInto(current, value, keyed);
      continue;
    }
    if (Array.isArray(value) && Array.isArray(current)) {
      // An empty list has no items to tell its keys by (ports): it takes the live list's.
      const keys = listKeys(field, value.length > 0 ? value : current, keyed);
      const liveKeys = listKeys(field, current.length > 0 ? current : value, keyed);
      if (keys && liveKeys && deepEqual(keys, liveKeys)) {
        for (const item of value as JsonObject[]) {
          const found = findItem(current, keyElement(item, keys));
          if (found) mergeInto(found.item, item, keyed);
          else current.push(clone(item));
        }
        continue;
      }
    }
    target[field] = clone(value);
  }
}

function removeDropped(target: JsonObject, before: FieldSet, after: FieldSet, others: Owner[]): void {
  const ownedByOthers = (path: string) => others.some((o) => [...o.fields].some((p) => isUnder(p, path)));
  const owned = (path: string) => after.has(path) || others.some((o) => o.fields.has(path));
  // Shortest first: a dropped list item goes whole, before its fields would be removed one by one (its key
  // fields included, which would leave it unfindable).
  const dropped = [...before].filter((path) => !after.has(path)).sort((a, b) => a.length - b.length);
  for (const path of dropped) {
    if (ownedByOthers(path) || isKeyField(path)) continue;
    removeAt(target, path, owned);
  }
}

/** A key field of a keyed list item stays as long as the item does. */
function isKeyField(path: string): boolean {
  const elements = split(path);
  const field = elements[elements.length - 1] ?? '';
  const parent = elements[elements.length - 2] ?? '';
  return field.startsWith('f:') && parent.startsWith('k:') && field.slice(2) in JSON.parse(parent.slice(2));
}
