import type { ResourceType } from './resources.js';
import { ApiError } from './status.js';
import { type JsonObject, type KubeObject, deepEqual, isObject } from './types.js';

// A few of the validation rules of the real API that a reconciler runs into: names, workload selectors that
// must match their template, and fields that are immutable once set. Not schema validation: see README.

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const WORKLOADS = ['Deployment', 'StatefulSet', 'DaemonSet', 'ReplicaSet'];
// StatefulSet updates may change only these spec fields.
const STATEFULSET_MUTABLE = [
  'replicas',
  'ordinals',
  'template',
  'updateStrategy',
  'persistentVolumeClaimRetentionPolicy',
  'minReadySeconds',
];

const spec = (obj: KubeObject | undefined): JsonObject => (isObject(obj?.spec) ? obj.spec : {});
const dig = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((current, key) => (isObject(current) ? current[key] : undefined), value);

interface Problem {
  field: string;
  message: string;
  reason?: string;
}

export function validate(type: ResourceType, previous: KubeObject | undefined, next: KubeObject): void {
  const problems = [
    ...checkName(next),
    ...checkSelector(type, next),
    ...(previous ? checkImmutable(type, previous, next) : []),
  ];
  if (problems.length === 0) return;
  const qualified = type.group ? `${type.kind}.${type.group}` : type.kind;
  const text = problems.map((p) => `${p.field}: ${p.message}`);
  throw new ApiError(
    422,
    'Invalid',
    `${qualified} "${next.metadata.name}" is invalid: ${text.length === 1 ? text[0] : `[${text.join(', ')}]`}`,
    {
      name: next.metadata.name,
      ...(type.group ? { group: type.group } : {}),
      kind: type.kind,
      causes: problems.map((p) => ({
        reason: p.reason ?? 'FieldValueInvalid',
        message: p.message,
        field: p.field,
      })),
    },
  );
}

function checkName(obj: KubeObject): Problem[] {
  const name = obj.metadata.name;
  if (name.length <= 253 && DNS_SUBDOMAIN.test(name)) return [];
  return [
    {
      field: 'metadata.name',
      message: `Invalid value: "${name}": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    },
  ];
}

function checkSelector(type: ResourceType, obj: KubeObject): Problem[] {
  if (!type.builtin || !WORKLOADS.includes(type.kind)) return [];
  const selector = dig(obj, 'spec', 'selector');
  if (!isObject(selector))
    return [{ field: 'spec.selector', message: 'Required value', reason: 'FieldValueRequired' }];
  const labels = dig(obj, 'spec', 'template', 'metadata', 'labels');
  const wanted = isObject(selector.matchLabels) ? selector.matchLabels : {};
  const matches = isObject(labels) && Object.entries(wanted).every(([k, v]) => labels[k] === v);
  return matches
    ? []
    : [
        {
          field: 'spec.template.metadata.labels',
          message: 'Invalid value: `selector` does not match template `labels`',
        },
      ];
}

function checkImmutable(type: ResourceType, previous: KubeObject, next: KubeObject): Problem[] {
  if (!type.builtin) return [];
  const immutable = (field: string, before: unknown, after: unknown): Problem[] =>
    deepEqual(before, after) ? [] : [{ field, message: 'Invalid value: field is immutable' }];
  switch (type.kind) {
    case 'Deployment':
    case 'DaemonSet':
    case 'ReplicaSet':
      return immutable('spec.selector', spec(previous).selector, spec(next).selector);
    case 'StatefulSet': {
      const changed = Object.keys({ ...spec(previous), ...spec(next) }).filter(
        (f) => !STATEFULSET_MUTABLE.includes(f) && !deepEqual(spec(previous)[f], spec(next)[f]),
      );
      return changed.length === 0
        ? []
        : [
            {
              field: 'spec',
              message: `Forbidden: updates to statefulset spec for fields other than ${STATEFULSET_MUTABLE.map((f) => `'${f}'`).join(', ')} are forbidden`,
              reason: 'FieldValueForbidden',
            },
          ];
    }
    case 'Job':
      return [
        ...immutable('spec.selector', spec(previous).selector, spec(next).selector),
        ...immutable('spec.template', spec(previous).template, spec(next).template),
      ];
    case 'Service':
      return immutable('spec.clusterIP', spec(previous).clusterIP, spec(next).clusterIP);
    case 'ConfigMap':
    case 'Secret':
      if (previous.immutable !== true) return [];
      return [
        ...immutable('data', previous.data, next.data),
        ...immutable('immutable', previous.immutable, next.immutable),
      ].map((p) => ({
        ...p,
        message: 'Forbidden: field is immutable when `immutable` is set',
        reason: 'FieldValueForbidden',
      }));
    default:
      return [];
  }
}
