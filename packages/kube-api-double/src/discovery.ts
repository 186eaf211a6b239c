import { type ResourceRegistry, type ResourceType, groupVersionOf } from './resources.js';
import { type Route, pathNotFound } from './router.js';

// Discovery documents: /version, /api, /api/v1, /apis and /apis/<group>/<version>.

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

const resourceEntries = (type: ResourceType) => [
  {
    name: type.plural,
    singularName: type.singular,
    namespaced: type.namespaced,
    kind: type.kind,
    verbs: VERBS,
    ...(type.shortNames ? { shortNames: type.shortNames } : {}),
    storageVersionHash: '',
  },
  ...(type.statusSubresource
    ? [
        {
          name: `${type.plural}/status`,
          singularName: '',
          namespaced: type.namespaced,
          kind: type.kind,
          verbs: ['get', 'patch', 'update'],
        },
      ]
    : []),
];

export const versionInfo = () => ({
  major: '1',
  minor: '32',
  gitVersion: 'v1.32.0-kube-api-double',
  gitCommit: '0000000000000000000000000000000000000000',
  gitTreeState: 'clean',
  buildDate: '2026-01-01T00:00:00Z',
  goVersion: 'go1.23.0',
  compiler: 'gc',
  platform: 'linux/amd64',
});

export const coreVersions = (serverAddress: string) => ({
  kind: 'APIVersions',
  versions: ['v1'],
  serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
});

export function groupList(registry: ResourceRegistry) {
  const groups = [...registry.groupVersions()].map(([name, versions]) => ({
    name,
    versions: versions.map((version) => ({ groupVersion: `${name}/${version}`, version })),
    preferredVersion: { groupVersion: `${name}/${versions[0]}`, version: versions[0] },
  }));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** The APIResourceList of a group version, or undefined when nothing is served there. */
export function resourceList(registry: ResourceRegistry, group: string, version: string) {
  const types = registry.all().filter((t) => t.group === group && t.version === version);
  if (types.length === 0) return undefined;
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: groupVersionOf(types[0]!),
    resources: types.flatMap(resourceEntries),
  };
}

export function apiGroup(registry: ResourceRegistry, group: string) {
  const versions = registry.groupVersions().get(group);
  if (!versions) return undefined;
  return {
    kind: 'APIGroup',
    apiVersion: 'v1',
    name: group,
    versions: versions.map((version) => ({ groupVersion: `${group}/${version}`, version })),
    preferredVersion: { groupVersion: `${group}/${versions[0]}`, version: versions[0] },
  };
}

/** The discovery document a path names; 404 for a group or version nothing is served in. */
export function discoveryDocument(
  registry: ResourceRegistry,
  serverAddress: string,
  target: Extract<Route, { kind: 'discovery' }>,
): unknown {
  const found =
    target.doc === 'version'
      ? versionInfo()
      : target.doc === 'api'
        ? coreVersions(serverAddress)
        : target.doc === 'apis'
          ? groupList(registry)
          : target.doc === 'group'
            ? apiGroup(registry, target.group)
            : resourceList(registry, target.group, target.version);
  if (!found) throw pathNotFound();
  return found;
}
