import { findItem, keyElement, listKeys } from './fieldpath.js';
import { badRequest, invalidPatch } from './status.js';
import { type JsonObject, clone, deepEqual, isObject, unset } from './types.js';

// The non-apply patch types: JSON merge patch (RFC 7386), strategic merge patch (maps merged, null deletes,
// known keyed lists merged item by item, `$patch: delete` on an item) and JSON patch (RFC 6902).

export function mergePatch(target: JsonObject, patch: JsonObject): JsonObject {
  for (const [field, value] of Object.entries(patch)) {
    if (value === null) unset(target, field);
    else if (isObject(value)) target[field] = mergePatch(isObject(target[field]) ? target[field] : {}, value);
    else target[field] = clone(value);
  }
  return target;
}

export function strategicMergePatch(target: JsonObject, patch: JsonObject, keyed: boolean): JsonObject {
  for (const [field, value] of Object.entries(patch)) {
    if (field.startsWith('$')) continue;
    const current = target[field];
    if (value === null) unset(target, field);
    else if (isObject(value)) {
      target[field] = strategicMergePatch(isObject(current) ? current : {}, value, keyed);
    } else if (Array.isArray(value) && Array.isArray(current)) {
      const items = value.filter((i) => !(isObject(i) && i.$patch));
      const keys = listKeys(field, current, keyed);
      const sameKeys = keys && deepEqual(keys, listKeys(field, items, keyed) ?? keys);
      target[field] =
        keys && sameKeys ? mergeKeyedList(current, value as JsonObject[], keys, keyed) : clone(value);
    } else target[field] = clone(value);
  }
  return target;
}

function mergeKeyedList(current: unknown[], patch: JsonObject[], keys: string[], keyed: boolean): unknown[] {
  const result = clone(current);
  for (const item of patch) {
    const found = findItem(result, keyElement(item, keys));
    if (item.$patch === 'delete') {
      if (found) result.splice(found.index, 1);
    } else if (found) strategicMergePatch(found.item, item, keyed);
    else result.push(strategicMergePatch({}, item, keyed));
  }
  return result;
}

interface Operation {
  op: string;
  path: string;
  value?: unknown;
  from?: string;
}

const pointer = (path: string): string[] =>
  path === ''
    ? []
    : path
        .slice(1)
        .split('/')
        .map((p) => p.replaceAll('~1', '/').replaceAll('~0', '~'));

export function jsonPatch(document: JsonObject, operations: unknown): JsonObject {
  if (!Array.isArray(operations)) throw badRequest('a JSON patch must be an array of operations');
  let doc: unknown = clone(document);
  for (const operation of operations as Operation[]) {
    const path = pointer(String(operation.path ?? ''));
    switch (operation.op) {
      case 'add':
      case 'replace':
        doc = put(doc, path, clone(operation.value), operation.op === 'add');
        break;
      case 'remove':
        doc = take(doc, path);
        break;
      case 'test':
        if (!deepEqual(read(doc, path), operation.value))
          throw invalidPatch(`test operation failed at ${operation.path}`);
        break;
      case 'copy':
      case 'move': {
        const from = pointer(String(operation.from ?? ''));
        const value = clone(read(doc, from));
        if (operation.op === 'move') doc = take(doc, from);
        doc = put(doc, path, value, true);
        break;
      }
      default:
        throw badRequest(`unknown JSON patch operation: ${operation.op}`);
    }
  }
  if (!isObject(doc)) throw invalidPatch('the patched document is not an object');
  return doc;
}

function read(doc: unknown, path: string[]): unknown {
  let current = doc;
  for (const part of path) {
    if (Array.isArray(current)) current = current[Number(part)];
    else if (isObject(current)) current = current[part];
    else current = undefined;
    if (current === undefined) throw invalidPatch(`no value at /${path.join('/')}`);
  }
  return current;
}

function put(doc: unknown, path: string[], value: unknown, insert: boolean): unknown {
  if (path.length === 0) return value;
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent)) {
    const index = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw invalidPatch(`bad index ${last}`);
    parent.splice(index, insert ? 0 : 1, value);
  } else if (isObject(parent)) {
    if (!insert && !(last in parent)) throw invalidPatch(`no value at /${path.join('/')} to replace`);
    parent[last] = value;
  } else throw invalidPatch(`no container at /${path.slice(0, -1).join('/')}`);
  return doc;
}

function take(doc: unknown, path: string[]): unknown {
  const parent = read(doc, path.slice(0, -1));
  const last = path[path.length - 1]!;
  if (Array.isArray(parent) && Number(last) < parent.length) parent.splice(Number(last), 1);
  else if (isObject(parent) && last in parent) unset(parent, last);
  else throw invalidPatch(`no value at /${path.join('/')} to remove`);
  return doc;
}
