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
 * and promotes), or undefined when none is pinned by digest. The version tag the config updater keeps
 * beside the digest (`repo:tag@digest`, as kustomize renders `newTag` with `digest`) is dropped.
 */
export function appImage(objects: readonly KubeObject[], repository: string): string | undefined {
  const pinned = new RegExp(`^${escapeRegExp(repository)}(?::[\\w][\\w.-]{0,127})?@(sha256:[0-9a-f]{64})$`);
  for (const image of objects.flatMap((object) => images(object.spec, []))) {
    const digest = pinned.exec(image)?.[1];
    if (digest) return `${repository}@${digest}`;
  }
  return undefined;
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
