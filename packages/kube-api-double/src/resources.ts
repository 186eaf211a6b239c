import { type KubeObject, isObject } from './types.js';

/** One served resource type, as discovery describes it. */
export interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  /** Writes to the main resource ignore `status`; it changes only through the status subresource. */
  statusSubresource: boolean;
  /** `metadata.generation` is kept (and moves when anything outside metadata and status changes). */
  generation: boolean;
  shortNames?: string[];
  /** Built-in types merge known lists by key (containers, env, ports...); custom resources treat lists atomically. */
  builtin: boolean;
}

export const groupVersionOf = (type: ResourceType): string =>
  type.group ? `${type.group}/${type.version}` : type.version;

type Row = [group: string, version: string, kind: string, plural: string, flags: string, shortNames?: string];
// flags: n = namespaced, s = status subresource, g = generation
const BUILTIN: Row[] = [
  ['', 'v1', 'Namespace', 'namespaces', 's', 'ns'],
  ['', 'v1', 'ConfigMap', 'configmaps', 'n', 'cm'],
  ['', 'v1', 'Secret', 'secrets', 'n'],
  ['', 'v1', 'Service', 'services', 'ns', 'svc'],
  ['', 'v1', 'Pod', 'pods', 'ns', 'po'],
  ['', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', 'ns', 'pvc'],
  ['', 'v1', 'ServiceAccount', 'serviceaccounts', 'n', 'sa'],
  ['', 'v1', 'Event', 'events', 'n', 'ev'],
  ['apps', 'v1', 'Deployment', 'deployments', 'nsg', 'deploy'],
  ['apps', 'v1', 'StatefulSet', 'statefulsets', 'nsg', 'sts'],
  ['apps', 'v1', 'DaemonSet', 'daemonsets', 'nsg', 'ds'],
  ['apps', 'v1', 'ReplicaSet', 'replicasets', 'nsg', 'rs'],
  ['batch', 'v1', 'Job', 'jobs', 'nsg'],
  ['batch', 'v1', 'CronJob', 'cronjobs', 'nsg', 'cj'],
  ['networking.k8s.io', 'v1', 'Ingress', 'ingresses', 'nsg', 'ing'],
  ['networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', 'ng', 'netpol'],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRole', 'clusterroles', ''],
  ['rbac.authorization.k8s.io', 'v1', 'ClusterRoleBinding', 'clusterrolebindings', ''],
  ['rbac.authorization.k8s.io', 'v1', 'Role', 'roles', 'n'],
  ['rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', 'n'],
  ['apiextensions.k8s.io', 'v1', 'CustomResourceDefinition', 'customresourcedefinitions', 'sg', 'crd,crds'],
];

const builtinTypes = (): ResourceType[] =>
  BUILTIN.map(([group, version, kind, plural, flags, shortNames]) => ({
    group,
    version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: flags.includes('n'),
    statusSubresource: flags.includes('s'),
    generation: flags.includes('g'),
    ...(shortNames ? { shortNames: shortNames.split(',') } : {}),
    builtin: true,
  }));

/** The served types: the built-in table plus the kinds of established CustomResourceDefinitions. */
export class ResourceRegistry {
  private types: ResourceType[] = builtinTypes();

  all(): readonly ResourceType[] {
    return this.types;
  }

  byPlural(group: string, version: string, plural: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.plural === plural);
  }

  byKind(group: string, version: string, kind: string): ResourceType | undefined {
    return this.types.find((t) => t.group === group && t.version === version && t.kind === kind);
  }

  groupVersions(): Map<string, string[]> {
    const groups = new Map<string, string[]>();
    for (const type of this.types) {
      if (!type.group) continue;
      const versions = groups.get(type.group) ?? [];
      if (!versions.includes(type.version)) versions.push(type.version);
      groups.set(type.group, versions);
    }
    return groups;
  }

  /** Registers (or re-registers) the kinds a CRD serves; answers the types it replaced. */
  registerCrd(crd: KubeObject): void {
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    const group = String(spec.group ?? '');
    const kind = String(names.kind ?? '');
    this.unregisterCrd(crd);
    const versions = Array.isArray(spec.versions) ? spec.versions.filter(isObject) : [];
    for (const version of versions) {
      if (version.served === false) continue;
      const subresources = isObject(version.subresources) ? version.subresources : {};
      this.types.push({
        group,
        version: String(version.name),
        kind,
        plural: String(names.plural ?? `${kind.toLowerCase()}s`),
        singular: String(names.singular ?? kind.toLowerCase()),
        namespaced: spec.scope !== 'Cluster',
        statusSubresource: 'status' in subresources,
        generation: true,
        ...(Array.isArray(names.shortNames) ? { shortNames: names.shortNames.map(String) } : {}),
        builtin: false,
      });
    }
  }

  unregisterCrd(crd: KubeObject): void {
    const spec = isObject(crd.spec) ? crd.spec : {};
    const names = isObject(spec.names) ? spec.names : {};
    this.types = this.types.filter((t) => t.builtin || t.group !== spec.group || t.kind !== names.kind);
  }
}
