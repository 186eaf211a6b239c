import { type KubeObject, isObject } from '../manifests/objects.js';
import { escapeToken, pointerKeys } from './pointer.js';

/** The JSON pointers of the map fields a FieldsV1 set names as leaves (list items, `k:`/`v:`/`i:`, are skipped). */
function leafPaths(fields: Record<string, unknown>, prefix: string, into: string[]): string[] {
  const children = Object.entries(fields).filter(([key]) => key.startsWith('f:'));
  for (const [key, value] of children) {
    const path = `${prefix}/${escapeToken(key.slice(2))}`;
    const nested = isObject(value) ? value : {};
    const hasFieldChildren = Object.keys(nested).some((k) => k.startsWith('f:'));
    const hasListChildren = Object.keys(nested).some((k) => /^[kvi]:/.test(k));
    if (hasFieldChildren) leafPaths(nested, path, into);
    else if (!hasListChildren) into.push(path);
  }
  return into;
}

/** The fields of `live` that `manager` applied (server-side apply), as JSON pointers to leaves. */
export function ownedLeaves(live: KubeObject, manager: string): string[] {
  const entries = live.metadata.managedFields ?? [];
  return entries
    .filter((entry) => entry.manager === manager && entry.operation === 'Apply' && isObject(entry.fieldsV1))
    .flatMap((entry) => leafPaths(entry.fieldsV1 as Record<string, unknown>, '', []));
}

/** The manager that last wrote the field at `pointer` (or one of its parents' children), if the object says. */
export function managerOf(live: KubeObject, pointer: string): string | undefined {
  const tokens = pointerKeys(pointer);
  const entries = [...(live.metadata.managedFields ?? [])].sort((a, b) =>
    (b.time ?? '').localeCompare(a.time ?? ''),
  );
  for (const entry of entries) {
    let node: unknown = entry.fieldsV1;
    for (const token of tokens) {
      if (!isObject(node)) break;
      const next: unknown = node[`f:${token}`];
      if (next === undefined) {
        // A list item: the manager owns the list's items, which is as close as a pointer gets.
        if (Object.keys(node).some((key) => /^[kvi]:/.test(key))) return entry.manager;
        node = undefined;
        break;
      }
      node = next;
    }
    if (node !== undefined) return entry.manager;
  }
  return undefined;
}
