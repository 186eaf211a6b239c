import { parse as parseYaml } from 'yaml';
import { type Conflict, applyConfig } from './apply.js';
import type { Cluster } from './cluster.js';
import { describePath } from './fieldpath.js';
import { jsonPatch, mergePatch, strategicMergePatch } from './patch.js';
import { type ResourceType, groupVersionOf } from './resources.js';
import { ApiError, alreadyExists, badRequest, modifiedConflict, notFound } from './status.js';
import { type JsonObject, type KubeObject, clone, isObject, unset } from './types.js';

export interface Target {
  type: ResourceType;
  namespace?: string;
  name?: string;
  subresource?: string;
}

interface Options {
  manager: string;
  dryRun: boolean;
}

/** Checks a request body names the object the URL names, filling in what it leaves out. */
function objectFor(target: Target, body: unknown, creating = false): KubeObject {
  if (!isObject(body)) throw badRequest('the request body must be an object');
  const obj = clone(body) as KubeObject;
  const { type } = target;
  obj.apiVersion ??= groupVersionOf(type);
  obj.kind ??= type.kind;
  if (obj.apiVersion !== groupVersionOf(type) || obj.kind !== type.kind) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion}) does not match the expected API version (${groupVersionOf(type)})`,
    );
  }
  if (!isObject(obj.metadata)) obj.metadata = { name: '' };
  const meta = obj.metadata;
  if (target.name !== undefined) {
    meta.name ??= target.name;
    if (meta.name !== target.name)
      throw badRequest(
        `the name of the object (${meta.name}) does not match the name on the URL (${target.name})`,
      );
  }
  if (creating && !meta.name && typeof meta.generateName === 'string')
    meta.name = generatedName(meta.generateName);
  if (!meta.name)
    throw new ApiError(
      422,
      'Invalid',
      `${type.kind} "" is invalid: metadata.name: Required value: name is required`,
    );
  if (type.namespaced) {
    meta.namespace ??= target.namespace;
    if (meta.namespace !== target.namespace) {
      throw badRequest(
        'the namespace of the provided object does not match the namespace sent on the request',
      );
    }
  } else unset(meta, 'namespace');
  return obj;
}

/** PATCH with application/apply-patch+yaml: server-side apply. */
export function serverSideApply(
  cluster: Cluster,
  target: Target,
  body: string,
  opts: Options & { force: boolean },
) {
  if (!opts.manager) throw badRequest('PATCH requests with an apply content type require fieldManager');
  let parsed: unknown;
  try {
    parsed = parseYaml(body);
  } catch (error) {
    throw badRequest(`error decoding YAML: ${(error as Error).message}`);
  }
  const config = objectFor(target, parsed);
  const live = cluster.find(target.type, target.namespace, config.metadata.name);
  const expected = config.metadata.resourceVersion;
  if (expected && live && expected !== live.metadata.resourceVersion)
    throw modifiedConflict(target.type, config.metadata.name);
  const subresource = target.subresource;
  if (subresource && !live) throw notFound(target.type, config.metadata.name);
  const result = applyConfig({
    live,
    config,
    type: target.type,
    manager: opts.manager,
    force: opts.force,
    ...(subresource ? { subresource } : {}),
  });
  if ('conflicts' in result) throw conflictError(result.conflicts);
  const saved = cluster.save(target.type, live, result.object, {
    dryRun: opts.dryRun,
    statusWrite: subresource === 'status',
  });
  return { object: saved, created: !live };
}

/** 409 Conflict worded like the real API server's (k8s.io/apiserver fieldmanager NewConflictError). */
function conflictError(conflicts: Conflict[]): ApiError {
  const causes = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${c.manager}`,
    field: describePath(c.path),
  }));
  let message: string;
  if (conflicts.length === 1)
    message = `Apply failed with 1 conflict: ${causes[0]!.message}: ${causes[0]!.field}`;
  else {
    const managers = [...new Set(conflicts.map((c) => c.manager))].sort();
    const lines = managers.flatMap((manager) => [
      `conflicts with ${manager}:`,
      ...conflicts.filter((c) => c.manager === manager).map((c) => `- ${describePath(c.path)}`),
    ]);
    message = `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  }
  return new ApiError(409, 'Conflict', message, { causes });
}

const generatedName = (prefix: string) =>
  prefix +
  Array.from({ length: 5 }, () => 'bcdfghjklmnpqrstvwxz2456789'[Math.floor(Math.random() * 27)]).join('');

export function create(cluster: Cluster, target: Target, body: unknown, opts: Options) {
  const obj = objectFor(target, body, true);
  if (cluster.find(target.type, target.namespace, obj.metadata.name))
    throw alreadyExists(target.type, obj.metadata.name);
  unset(obj.metadata, 'resourceVersion');
  unset(obj.metadata, 'managedFields');
  return cluster.update(target.type, undefined, obj, { manager: opts.manager, dryRun: opts.dryRun });
}

/** PUT: replaces the object (or its status), with optimistic concurrency on metadata.resourceVersion. */
export function replace(cluster: Cluster, target: Target, body: unknown, opts: Options) {
  const obj = objectFor(target, body);
  const live = cluster.read(target.type, target.namespace, obj.metadata.name);
  const expected = obj.metadata.resourceVersion;
  if (expected && expected !== live.metadata.resourceVersion)
    throw modifiedConflict(target.type, obj.metadata.name);
  return write(cluster, target, live, obj, opts);
}

function write(cluster: Cluster, target: Target, live: KubeObject, obj: KubeObject, opts: Options) {
  let next = obj;
  if (target.subresource === 'status') {
    next = clone(live);
    if (obj.status === undefined) unset(next, 'status');
    else next.status = clone(obj.status);
  } else {
    // Clients cannot set or clear a deletion in progress; managedFields follow from the write itself.
    const { deletionTimestamp: _d, ...meta } = obj.metadata;
    const deleting = live.metadata.deletionTimestamp;
    next.metadata = {
      ...meta,
      managedFields: live.metadata.managedFields ?? [],
      ...(deleting ? { deletionTimestamp: deleting } : {}),
    };
  }
  return cluster.update(target.type, live, next, {
    manager: opts.manager,
    dryRun: opts.dryRun,
    ...(target.subresource ? { subresource: target.subresource } : {}),
  });
}

/** A merge, strategic merge or JSON patch, applied to the live object (or its status) as an update. */
export function patch(cluster: Cluster, target: Target, body: string, contentType: string, opts: Options) {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch (error) {
    throw badRequest(`error decoding patch: ${(error as Error).message}`);
  }
  const live = cluster.read(target.type, target.namespace, target.name!);
  const document = clone(live) as JsonObject;
  let next: JsonObject;
  if (contentType === 'application/json-patch+json') next = jsonPatch(document, parsed);
  else if (!isObject(parsed)) throw badRequest('a merge patch must be a JSON object');
  else if (contentType === 'application/merge-patch+json') next = mergePatch(document, parsed);
  else next = strategicMergePatch(document, parsed, target.type.builtin);
  return write(cluster, target, live, next as KubeObject, opts);
}
