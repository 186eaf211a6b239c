import { randomUUID } from 'node:crypto';
import { applyDefaults } from './defaults.js';
import { now, readOwners, trackUpdate, trackedView, writeOwners } from './managed.js';
import { ResourceRegistry, type ResourceType } from './resources.js';
import { ApiError, notFound } from './status.js';
import { ObjectStore } from './store.js';
import { type KubeObject, clone, deepEqual, isObject, splitApiVersion, unset } from './types.js';
import { validate } from './validate.js';

export interface WriteOptions {
  dryRun?: boolean;
}

/** The cluster state behind the HTTP API: typed reads and the one write path every change goes through. */
export class Cluster {
  readonly registry = new ResourceRegistry();
  readonly store: ObjectStore;
  /** What happens when the last finalizer of an object being deleted goes (delete.ts: the object and its dependents). */
  finalized: (type: ResourceType, obj: KubeObject) => void = (type, obj) => {
    this.store.remove(type, obj);
  };

  constructor(historyLimit?: number) {
    this.store = new ObjectStore(historyLimit);
  }

  typeOf(apiVersion: string, kind: string): ResourceType {
    const { group, version } = splitApiVersion(apiVersion);
    const type = this.registry.byKind(group, version, kind);
    if (!type)
      throw new ApiError(404, 'NotFound', `no matches for kind "${kind}" in version "${apiVersion}"`);
    return type;
  }

  find(type: ResourceType, namespace: string | undefined, name: string): KubeObject | undefined {
    return this.store.get(type.group, type.kind, type.namespaced ? namespace : undefined, name);
  }

  read(type: ResourceType, namespace: string | undefined, name: string): KubeObject {
    const found = this.find(type, namespace, name);
    if (!found) throw notFound(type, name);
    return found;
  }

  /**
   * Stores a new state of an object as the real server would after admission: status kept from the live object
   * for types with a status subresource (unless this is a status write), defaults filled in, server metadata set.
   */
  save(
    type: ResourceType,
    previous: KubeObject | undefined,
    next: KubeObject,
    options: WriteOptions & { statusWrite?: boolean } = {},
  ): KubeObject {
    const dryRun = options.dryRun ?? false;
    if (!previous && type.namespaced) this.requireNamespace(next.metadata.namespace);
    next.metadata.uid = previous?.metadata.uid ?? next.metadata.uid ?? randomUUID();
    if (type.statusSubresource && !options.statusWrite) {
      if (previous?.status === undefined) unset(next, 'status');
      else next.status = clone(previous.status);
    }
    applyDefaults(next);
    // Go's omitempty: empty label and annotation maps are not served.
    for (const field of ['labels', 'annotations'])
      if (isEmptyMap(next.metadata[field])) unset(next.metadata, field);
    if (!options.statusWrite) validate(type, previous, next);
    if (type.kind === 'CustomResourceDefinition') establish(next);
    if (next.metadata.deletionTimestamp && (next.metadata.finalizers ?? []).length === 0 && previous) {
      if (!dryRun) this.finalized(type, previous);
      return next;
    }
    const saved = this.store.write(type, previous, next, dryRun);
    if (!dryRun && type.kind === 'CustomResourceDefinition') this.registry.registerCrd(saved);
    return saved;
  }

  /** An update-style write (PUT, merge patch, an edit or status write behind the reconciler's back). */
  update(
    type: ResourceType,
    previous: KubeObject | undefined,
    next: KubeObject,
    writer: { manager: string; subresource?: string; dryRun?: boolean },
  ): KubeObject {
    const subresource = writer.subresource;
    // The server, not the client, names a new object's uid (defaults such as a Job's selector use it).
    next.metadata.uid = previous?.metadata.uid ?? randomUUID();
    // Update operations own what they wrote after defaulting (a created Deployment's manager owns its
    // defaulted strategy too), unlike Apply, which owns only its config.
    applyDefaults(next);
    const owners = trackUpdate(
      readOwners(previous),
      previous ? trackedView(previous, type, subresource) : {},
      trackedView(next, type, subresource),
      { manager: writer.manager, apiVersion: next.apiVersion, ...(subresource ? { subresource } : {}) },
      type.builtin,
    );
    next.metadata.managedFields = writeOwners(owners);
    if (next.metadata.managedFields.length === 0) unset(next.metadata, 'managedFields');
    return this.save(type, previous, next, {
      dryRun: writer.dryRun ?? false,
      statusWrite: subresource === 'status',
    });
  }

  private requireNamespace(namespace: string | undefined): void {
    if (!namespace) throw new ApiError(400, 'BadRequest', 'the namespace of the object is required');
    const namespaces = this.registry.byKind('', 'v1', 'Namespace')!;
    if (!this.find(namespaces, undefined, namespace)) throw notFound(namespaces, namespace);
  }
}

const isEmptyMap = (value: unknown) => isObject(value) && Object.keys(value).length === 0;

/** What the apiextensions controller does at once here: names accepted, the CRD established. */
function establish(crd: KubeObject): void {
  const spec = isObject(crd.spec) ? crd.spec : {};
  const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
  const storage = versions.find((v) => v.storage === true) ?? versions[0];
  const previous = isObject(crd.status) ? crd.status : {};
  if (deepEqual(previous.acceptedNames, spec.names) && Array.isArray(previous.conditions)) return;
  const at = now();
  crd.status = {
    conditions: [
      {
        type: 'NamesAccepted',
        status: 'True',
        reason: 'NoConflicts',
        message: 'no conflicts found',
        lastTransitionTime: at,
      },
      {
        type: 'Established',
        status: 'True',
        reason: 'InitialNamesAccepted',
        message: 'the initial names have been accepted',
        lastTransitionTime: at,
      },
    ],
    acceptedNames: clone(spec.names ?? {}),
    storedVersions: storage ? [String(storage.name)] : [],
  };
}
