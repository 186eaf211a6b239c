import { type KubeObject, isObject } from './objects.js';

/** Every `image:` of the pod templates, containers and init containers, in any workload kind. */
function images(value: unknown, into: string[]): string[] {
  if (Array.isArray(value)) for (const item of value) images(item, into);
  else if (isObject(value)) {
    for (const [key, child] of Object.entries(value)) {
      if ((key === 'containers' || key === 'initContainers') && Array.isArray(child)) {
        for (const container of child)
          if (isObject(container) && typeof container.image === 'string') into.push(container.image);
      } else images(child, into);
    }
  }
  return into;
}

/**
 * `repo@digest` of the application's image in the rendered manifests (what the config updater pins
 * and promotes), or undefined when none is pinned by digest.
 */
export function appImage(objects: readonly KubeObject[], repository: string): string | undefined {
  const all = objects.flatMap((object) => images(object.spec, []));
  return all.find((image) => image.startsWith(`${repository}@sha256:`));
}
