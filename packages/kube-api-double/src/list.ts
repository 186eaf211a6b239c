import type { Cluster } from './cluster.js';
import { presentItem } from './present.js';
import type { Route } from './router.js';
import { fieldMatcher, labelMatcher } from './selectors.js';

/** A list answer: selectors applied, sorted by namespace and name, paged by limit and an opaque continue token. */
export function listObjects(
  cluster: Cluster,
  target: Extract<Route, { kind: 'resource' }>,
  query: Record<string, string>,
) {
  const { type, namespace } = target;
  const labels = labelMatcher(query.labelSelector);
  const fields = fieldMatcher(query.fieldSelector);
  const all = cluster.store
    .list({ group: type.group, kind: type.kind, ...(namespace !== undefined ? { namespace } : {}) })
    .filter((obj) => labels(obj) && fields(obj));
  const offset = query.continue ? Number(Buffer.from(query.continue, 'base64url').toString()) : 0;
  const limit = query.limit ? Number(query.limit) : 0;
  const items = limit > 0 ? all.slice(offset, offset + limit) : all.slice(offset);
  const more = limit > 0 && offset + limit < all.length;
  return {
    apiVersion: type.group ? `${type.group}/${type.version}` : type.version,
    kind: `${type.kind}List`,
    metadata: {
      resourceVersion: String(cluster.store.resourceVersion),
      ...(more
        ? {
            continue: Buffer.from(String(offset + limit)).toString('base64url'),
            remainingItemCount: all.length - offset - limit,
          }
        : {}),
    },
    items: items.map((obj) => presentItem(obj, type)),
  };
}
