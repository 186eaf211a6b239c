import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Cluster } from './cluster.js';
import { type DeleteOptions, deleteObject } from './delete.js';
import { discoveryDocument } from './discovery.js';
import { listObjects } from './list.js';
import { present } from './present.js';
import { type Route, pathNotFound, route, verbOf } from './router.js';
import { ApiError, injected } from './status.js';
import type { KubeObject, RecordedRequest } from './types.js';
import { serveWatch } from './watch.js';
import { create, patch, replace, serverSideApply } from './writes.js';

const PATCH_TYPES = [
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
];

export interface Failure {
  verb?: string;
  kind?: string;
  status: number;
  times: number;
}

export interface ServerContext {
  cluster: Cluster;
  token: string;
  requests: RecordedRequest[];
  failures: Failure[];
  bookmarkIntervalMs: number;
  /** Open watch responses, so tests can end them as the real server does at its request timeout. */
  watches: Set<ServerResponse>;
  address: () => string;
}

const sendJson = (res: ServerResponse, status: number, body: unknown) => {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(text) });
  res.end(text);
};

const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export function createHandler(ctx: ServerContext) {
  return async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://double');
    const query = Object.fromEntries(url.searchParams);
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      query,
      verb: 'get',
      dryRun: query.dryRun === 'All',
    };
    try {
      const body = await readBody(req);
      if (req.headers.authorization !== `Bearer ${ctx.token}`) {
        throw new ApiError(401, 'Unauthorized', 'Unauthorized');
      }
      const target = route(url.pathname, ctx.cluster.registry);
      record.verb = verbOf(record.method, target, query);
      if (target.kind === 'resource') record.kind = target.type.kind;
      ctx.requests.push(record);
      takeFailure(ctx.failures, record);
      if (target.kind === 'discovery') {
        const document = discoveryDocument(ctx.cluster.registry, ctx.address(), target);
        record.status = 200;
        return sendJson(res, 200, document);
      }
      if (record.verb === 'watch') {
        record.status = 200;
        ctx.watches.add(res);
        res.on('close', () => ctx.watches.delete(res));
        return serveWatch(res, ctx.cluster, {
          type: target.type,
          ...(target.namespace !== undefined ? { namespace: target.namespace } : {}),
          ...optional('labelSelector', query.labelSelector),
          ...optional('fieldSelector', query.fieldSelector),
          ...optional('resourceVersion', query.resourceVersion),
          allowWatchBookmarks: query.allowWatchBookmarks === 'true' || query.allowWatchBookmarks === '1',
          ...(query.timeoutSeconds ? { timeoutSeconds: Number(query.timeoutSeconds) } : {}),
          bookmarkIntervalMs: ctx.bookmarkIntervalMs,
        });
      }
      const [status, answer] = resourceRequest(ctx, target, record, query, body, req);
      record.status = status;
      sendJson(res, status, answer);
    } catch (error) {
      if (!ctx.requests.includes(record)) ctx.requests.push(record);
      const apiError =
        error instanceof ApiError
          ? error
          : new ApiError(500, 'InternalError', `Internal error occurred: ${(error as Error).message}`);
      record.status = apiError.code;
      if (apiError.code === 429) res.setHeader('Retry-After', '1');
      sendJson(res, apiError.code, apiError.toStatus());
    }
  };
}

const optional = <K extends string>(key: K, value: string | undefined) =>
  (value !== undefined && value !== '' ? { [key]: value } : {}) as { [P in K]?: string };

function takeFailure(failures: Failure[], record: RecordedRequest): void {
  const failure = failures.find(
    (f) =>
      f.times > 0 &&
      (f.verb === undefined || f.verb === record.verb) &&
      (f.kind === undefined || f.kind === record.kind),
  );
  if (!failure) return;
  failure.times--;
  if (failure.times === 0) failures.splice(failures.indexOf(failure), 1);
  throw injected(failure.status);
}

function resourceRequest(
  ctx: ServerContext,
  target: Extract<Route, { kind: 'resource' }>,
  record: RecordedRequest,
  query: Record<string, string>,
  body: string,
  req: IncomingMessage,
): [number, unknown] {
  const { cluster } = ctx;
  const { type, namespace, name } = target;
  const manager = query.fieldManager ?? String(req.headers['user-agent'] ?? 'unknown').split('/')[0]!;
  const options = { manager, dryRun: record.dryRun };
  switch (record.verb) {
    case 'get':
      return [200, present(cluster.read(type, namespace, name!), type)];
    case 'list':
      return [200, listObjects(cluster, target, query)];
    case 'create':
      return [201, present(create(cluster, target, parseJson(body), options), type)];
    case 'update':
      return [200, present(replace(cluster, target, parseJson(body), options), type)];
    case 'patch': {
      const contentType = String(req.headers['content-type'] ?? '')
        .split(';')[0]!
        .trim();
      if (contentType === 'application/apply-patch+yaml' || contentType === 'application/apply-patch+cbor') {
        const force = query.force === 'true' || query.force === '1';
        const result = serverSideApply(cluster, target, body, {
          manager: query.fieldManager ?? '',
          dryRun: record.dryRun,
          force,
        });
        return [result.created ? 201 : 200, present(result.object, type)];
      }
      if (PATCH_TYPES.includes(contentType)) {
        return [200, present(patch(cluster, target, body, contentType, options), type)];
      }
      throw new ApiError(
        415,
        'UnsupportedMediaType',
        'the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json',
      );
    }
    case 'delete': {
      const deleteBody = body ? parseJson(body) : {};
      const { propagationPolicy, preconditions } = deleteBody as Pick<DeleteOptions, 'preconditions'> & {
        propagationPolicy?: string;
      };
      const policy = query.propagationPolicy ?? propagationPolicy;
      const opts: DeleteOptions = { dryRun: record.dryRun, ...(preconditions ? { preconditions } : {}) };
      if (policy === 'Background' || policy === 'Foreground' || policy === 'Orphan')
        opts.propagationPolicy = policy;
      if (query.orphanDependents === 'true') opts.propagationPolicy = 'Orphan';
      if (name === undefined)
        throw new ApiError(405, 'MethodNotAllowed', 'deletecollection is not supported by the double');
      const result = deleteObject(cluster, type, namespace, name, opts);
      return [200, result.kind === 'Status' ? result : present(result as KubeObject, type)];
    }
    default:
      throw pathNotFound();
  }
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new ApiError(400, 'BadRequest', `error decoding request body: ${(error as Error).message}`);
  }
}
