import { type ResourceType, groupVersionOf } from './resources.js';
import { type KubeObject, clone, unset } from './types.js';

/** An object as the API serves it, in the version the request addressed. */
export function present(obj: KubeObject, type: ResourceType): KubeObject {
  return { ...clone(obj), apiVersion: groupVersionOf(type) };
}

/**
 * A list item: like the real server, items of built-in types come without apiVersion and kind (clients know
 * them from the list's kind); custom resources, served as unstructured objects, keep them.
 */
export function presentItem(obj: KubeObject, type: ResourceType): Partial<KubeObject> {
  const item: Partial<KubeObject> = present(obj, type);
  if (type.builtin) {
    unset(item, 'apiVersion');
    unset(item, 'kind');
  }
  return item;
}
