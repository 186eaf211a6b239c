/** A Kubernetes object as plain data: what is rendered from Git and what the API server answers. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    generation?: number;
    managedFields?: ManagedFieldsEntry[];
    [field: string]: unknown;
  };
  [field: string]: unknown;
}

export interface ManagedFieldsEntry {
  manager?: string;
  operation?: string;
  time?: string;
  fieldsV1?: Record<string, unknown>;
}

/** What names one object: the API's own identity of it. */
export interface ObjectRef {
  apiVersion: string;
  kind: string;
  namespace?: string;
  name: string;
}

export const groupOf = (apiVersion: string) => (apiVersion.includes('/') ? apiVersion.split('/')[0]! : '');

export const refOf = (object: KubeObject): ObjectRef => ({
  apiVersion: object.apiVersion,
  kind: object.kind,
  ...(object.metadata.namespace ? { namespace: object.metadata.namespace } : {}),
  name: object.metadata.name,
});

/**
 * `Kind/namespace/name` (`Kind/name` when cluster-scoped), with the group for kinds outside the core
 * and apps groups' usual names: what events and the diff call a resource. Versions do not count: an
 * object moved from v1beta1 to v1 is the same object.
 */
export function keyOf(ref: ObjectRef): string {
  const group = groupOf(ref.apiVersion);
  const kind = group && group !== 'apps' ? `${ref.kind}.${group}` : ref.kind;
  return ref.namespace ? `${kind}/${ref.namespace}/${ref.name}` : `${kind}/${ref.name}`;
}

export const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);
