import { type FieldsV1, type JsonObject, deepEqual, isObject, unset } from './types.js';

// Field paths in the `fieldsV1` notation of server-side apply: `f:<field>`, `k:<json key>` for an item of a
// list merged by key, joined into one string so a set of paths is a plain Set<string>.
// A path naming a keyed list item itself stands for the item's existence (the `.` entry of fieldsV1).

const SEP = '\u0001';
export type FieldSet = Set<string>;
export type PathElement = string; // 'f:name' | 'k:{...}'

export const join = (path: readonly PathElement[]): string => path.join(SEP);
export const split = (path: string): PathElement[] => (path === '' ? [] : path.split(SEP));

// Lists of built-in types that the real API merges by key (+listType=map); every other list is atomic.
const LIST_KEYS: Record<string, string[]> = {
  containers: ['name'],
  initContainers: ['name'],
  ephemeralContainers: ['name'],
  env: ['name'],
  volumes: ['name'],
  volumeMounts: ['mountPath'],
  volumeDevices: ['devicePath'],
  imagePullSecrets: ['name'],
  conditions: ['type'],
  ownerReferences: ['uid'],
  hostAliases: ['ip'],
};
const KEY_DEFAULTS: Record<string, unknown> = { protocol: 'TCP' };

/** The key fields of a list, or undefined when the list is atomic. */
export function listKeys(field: string, items: unknown[], keyedLists: boolean): string[] | undefined {
  if (!keyedLists) return undefined;
  let keys = LIST_KEYS[field];
  if (field === 'ports')
    keys = items.some((i) => isObject(i) && 'containerPort' in i)
      ? ['containerPort', 'protocol']
      : ['port', 'protocol'];
  if (!keys) return undefined;
  const seen = new Set<string>();
  for (const item of items) {
    if (!isObject(item) || !keys.every((k) => k in item || k in KEY_DEFAULTS)) return undefined;
    const element = keyElement(item, keys);
    if (seen.has(element)) return undefined;
    seen.add(element);
  }
  return keys;
}

export function keyElement(item: JsonObject, keys: string[]): PathElement {
  const key: JsonObject = {};
  for (const k of [...keys].sort()) key[k] = item[k] ?? KEY_DEFAULTS[k];
  return `k:${JSON.stringify(key)}`;
}

const fieldName = (path: readonly PathElement[]): string => {
  const last = path[path.length - 1] ?? '';
  return last.startsWith('f:') ? last.slice(2) : '';
};

/** Every leaf path (and keyed list item) of a value: the fields an applier of it would own. */
export function fieldsOf(
  value: unknown,
  keyedLists: boolean,
  path: PathElement[] = [],
  into: FieldSet = new Set(),
): FieldSet {
  if (isObject(value)) {
    const keys = Object.keys(value);
    if (keys.length === 0 && path.length > 0) into.add(join(path));
    for (const key of keys) fieldsOf(value[key], keyedLists, [...path, `f:${key}`], into);
    return into;
  }
  if (Array.isArray(value)) {
    const keys = listKeys(fieldName(path), value, keyedLists);
    // An empty list is owned as a whole, like an atomic one.
    if (!keys || value.length === 0) {
      into.add(join(path));
      return into;
    }
    for (const item of value as JsonObject[]) {
      const itemPath = [...path, keyElement(item, keys)];
      into.add(join(itemPath));
      for (const field of Object.keys(item))
        fieldsOf(item[field], keyedLists, [...itemPath, `f:${field}`], into);
    }
    return into;
  }
  into.add(join(path));
  return into;
}

/** The keyed item of a list matching a `k:` element, with its index. */
export function findItem(
  list: unknown[],
  element: PathElement,
): { item: JsonObject; index: number } | undefined {
  const key = JSON.parse(element.slice(2)) as JsonObject;
  const keys = Object.keys(key);
  const index = list.findIndex(
    (item) => isObject(item) && keys.every((k) => deepEqual(item[k] ?? KEY_DEFAULTS[k], key[k])),
  );
  return index < 0 ? undefined : { item: list[index] as JsonObject, index };
}

/** The value at a path, or undefined when it is absent. */
export function valueAt(root: unknown, path: string): unknown {
  let current: unknown = root;
  for (const element of split(path)) {
    if (element.startsWith('f:')) {
      if (!isObject(current)) return undefined;
      current = current[element.slice(2)];
    } else if (element.startsWith('k:')) {
      if (!Array.isArray(current)) return undefined;
      current = findItem(current, element)?.item;
    } else return undefined;
    if (current === undefined) return undefined;
  }
  return current;
}

/** Deletes the field or keyed item at a path; empty maps left behind are removed unless `keep` says otherwise. */
export function removeAt(root: JsonObject, path: string, keep: (path: string) => boolean): void {
  const elements = split(path);
  const parents: { container: unknown; element: PathElement }[] = [];
  let current: unknown = root;
  for (const element of elements) {
    parents.push({ container: current, element });
    current = element.startsWith('f:')
      ? isObject(current)
        ? current[element.slice(2)]
        : undefined
      : Array.isArray(current)
        ? findItem(current, element)?.item
        : undefined;
    if (current === undefined) return;
  }
  for (let depth = parents.length - 1; depth >= 0; depth--) {
    const { container, element } = parents[depth]!;
    if (element.startsWith('f:') && isObject(container)) unset(container, element.slice(2));
    else if (Array.isArray(container)) {
      const found = findItem(container, element);
      if (found) container.splice(found.index, 1);
    }
    const parentPath = join(elements.slice(0, depth));
    // Like structured-merge-diff, a map or list the removal leaves empty goes too.
    const emptied = Array.isArray(container)
      ? container.length === 0
      : isObject(container) && Object.keys(container).length === 0;
    if (depth === 0 || !emptied || keep(parentPath)) return;
  }
}

export const isUnder = (path: string, prefix: string): boolean =>
  path === prefix || path.startsWith(prefix + SEP);

export function toFieldsV1(set: FieldSet): FieldsV1 {
  const root: FieldsV1 = {};
  const sorted = [...set].sort();
  // Sorted, the paths under a path follow it directly (the separator sorts before every other character).
  sorted.forEach((path, index) => {
    let node = root;
    for (const element of split(path)) {
      node[element] ??= {};
      node = node[element]!;
    }
    const next = sorted[index + 1];
    if (next !== undefined && isUnder(next, path)) node['.'] = {};
  });
  return root;
}

export function fromFieldsV1(
  fields: FieldsV1,
  path: PathElement[] = [],
  into: FieldSet = new Set(),
): FieldSet {
  const keys = Object.keys(fields);
  if (path.length > 0 && (keys.length === 0 || '.' in fields)) into.add(join(path));
  for (const key of keys) if (key !== '.') fromFieldsV1(fields[key] ?? {}, [...path, key], into);
  return into;
}

/** `.spec.template.spec.containers[name="web"].image`, the notation the real server uses in conflicts. */
export function describePath(path: string): string {
  return split(path)
    .map((element) => {
      if (element.startsWith('f:')) return `.${element.slice(2)}`;
      const key = JSON.parse(element.slice(2)) as JsonObject;
      return `[${Object.entries(key)
        .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
        .join(',')}]`;
    })
    .join('');
}
