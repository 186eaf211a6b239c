import { type KubeObject, isObject } from '../manifests/objects.js';
import { escapeToken, pointerKeys } from './pointer.js';
import { sameLeaf } from './quantity.js';

/**
 * `live` cut to the shape of `desired`: the fields Git sets, read from the live object. What the
 * server added (defaults, other managers' fields) is left out, so it never shows as a difference.
 * Lists of the same length are compared item by item; otherwise the live list is taken whole.
 */
export function project(desired: unknown, live: unknown): unknown {
  if (isObject(desired) && isObject(live)) {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(desired)) if (key in live) out[key] = project(desired[key], live[key]);
    return out;
  }
  if (Array.isArray(desired) && Array.isArray(live) && desired.length === live.length) {
    return desired.map((item, index) => project(item, live[index]));
  }
  return live;
}

/** The JSON pointers where `desired` and the projected live value differ, at the deepest level they do. */
export function differingPaths(desired: unknown, live: unknown, path = ''): string[] {
  if (isObject(desired) && isObject(live)) {
    return Object.keys(desired).flatMap((key) =>
      differingPaths(desired[key], live[key], `${path}/${escapeToken(key)}`),
    );
  }
  if (Array.isArray(desired) && Array.isArray(live) && desired.length === live.length) {
    return desired.flatMap((item, index) => differingPaths(item, live[index], `${path}/${index}`));
  }
  if (isObject(desired) || Array.isArray(desired) || isObject(live) || Array.isArray(live)) {
    return JSON.stringify(desired) === JSON.stringify(live) ? [] : [path || '/'];
  }
  return sameLeaf(desired, live) ? [] : [path || '/'];
}

/** The value at a JSON pointer, or undefined. */
export function valueAt(object: unknown, pointer: string): unknown {
  let node: unknown = object;
  for (const key of pointerKeys(pointer)) {
    node = Array.isArray(node) ? node[Number(key)] : isObject(node) ? node[key] : undefined;
    if (node === undefined) return undefined;
  }
  return node;
}

/** Sets a value at a JSON pointer, creating maps on the way. */
export function setAt(object: KubeObject | Record<string, unknown>, pointer: string, value: unknown): void {
  const tokens = pointerKeys(pointer);
  const last = tokens.pop()!;
  let node: Record<string, unknown> = object;
  for (const token of tokens) {
    if (!isObject(node[token])) node[token] = {};
    node = node[token] as Record<string, unknown>;
  }
  node[last] = value;
}
