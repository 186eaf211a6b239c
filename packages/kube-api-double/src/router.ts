import type { ResourceRegistry, ResourceType } from './resources.js';
import { ApiError } from './status.js';
import type { Verb } from './types.js';

// Maps a request path onto a discovery document or a resource (type, namespace, name, subresource).

export type Route =
  | {
      kind: 'discovery';
      doc: 'version' | 'api' | 'apis' | 'group' | 'groupVersion';
      group: string;
      version: string;
    }
  | { kind: 'resource'; type: ResourceType; namespace?: string; name?: string; subresource?: string };

export const pathNotFound = () =>
  new ApiError(404, 'NotFound', 'the server could not find the requested resource', {});

export function route(pathname: string, registry: ResourceRegistry): Route {
  let segments: string[];
  try {
    segments = pathname.split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    throw pathNotFound();
  }
  const discovery = (doc: Extract<Route, { kind: 'discovery' }>['doc'], group = '', version = ''): Route => ({
    kind: 'discovery',
    doc,
    group,
    version,
  });
  if (pathname === '/version' || pathname === '/version/') return discovery('version');
  let group: string;
  let version: string;
  let rest: string[];
  if (segments[0] === 'api') {
    if (segments.length === 1) return discovery('api');
    [group, version, rest] = ['', segments[1]!, segments.slice(2)];
  } else if (segments[0] === 'apis') {
    if (segments.length === 1) return discovery('apis');
    if (segments.length === 2) return discovery('group', segments[1]);
    [group, version, rest] = [segments[1]!, segments[2]!, segments.slice(3)];
  } else throw pathNotFound();
  if (rest.length === 0) return discovery('groupVersion', group, version);
  if (rest[0] === 'namespaces' && rest.length >= 3) {
    const type = registry.byPlural(group, version, rest[2]!);
    if (type?.namespaced) return resource(type, rest[1], rest[3], rest[4], rest.length > 5);
  }
  const type = registry.byPlural(group, version, rest[0]!);
  if (!type) throw pathNotFound();
  return resource(type, undefined, rest[1], rest[2], rest.length > 3);
}

function resource(
  type: ResourceType,
  namespace?: string,
  name?: string,
  subresource?: string,
  extra?: boolean,
): Route {
  if (extra || (subresource !== undefined && subresource !== 'status')) throw pathNotFound();
  if (type.namespaced && name !== undefined && namespace === undefined) throw pathNotFound();
  if (subresource === 'status' && !type.statusSubresource) throw pathNotFound();
  return {
    kind: 'resource',
    type,
    ...(namespace !== undefined ? { namespace } : {}),
    ...(name !== undefined ? { name } : {}),
    ...(subresource !== undefined ? { subresource } : {}),
  };
}

export function verbOf(method: string, target: Route, query: Record<string, string>): Verb {
  if (target.kind === 'discovery') return 'discovery';
  switch (method) {
    case 'GET':
      if (target.name !== undefined) return 'get';
      return query.watch === 'true' || query.watch === '1' ? 'watch' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return 'delete';
    default:
      throw new ApiError(
        405,
        'MethodNotAllowed',
        'the server does not allow this method on the requested resource',
      );
  }
}
