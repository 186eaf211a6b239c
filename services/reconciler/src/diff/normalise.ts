import type { IgnoreDifference } from '@gitops/config';
import { type KubeObject, groupOf, isObject } from '../manifests/objects.js';
import { pointerKeys } from './pointer.js';

/** Fields the API server writes that Git never holds (gitops-engine's normalisation). */
const SERVER_METADATA = [
  'managedFields',
  'resourceVersion',
  'uid',
  'generation',
  'creationTimestamp',
  'selfLink',
  'deletionTimestamp',
  'deletionGracePeriodSeconds',
  'ownerReferences',
  'finalizers',
];
const SERVER_ANNOTATIONS = [
  'kubectl.kubernetes.io/last-applied-configuration',
  'deployment.kubernetes.io/revision',
];

const without = <T extends Record<string, unknown>>(record: T, keys: readonly string[]): T =>
  Object.fromEntries(Object.entries(record).filter(([key]) => !keys.includes(key))) as T;

/** A deep copy without status and the server's own metadata. */
export function normalise(object: KubeObject): KubeObject {
  const { status: _status, ...copy } = structuredClone(object) as KubeObject;
  const metadata = without(copy.metadata, SERVER_METADATA);
  const annotations = metadata.annotations && without(metadata.annotations, SERVER_ANNOTATIONS);
  const { annotations: _annotations, ...rest } = metadata;
  const kept = annotations && Object.keys(annotations).length > 0 ? { ...rest, annotations } : rest;
  return { ...copy, metadata: kept } as KubeObject;
}

/** Removes the value at a JSON pointer (RFC 6901) if it is there. */
export function removePointer(target: unknown, pointer: string): void {
  const tokens = pointerKeys(pointer);
  const last = tokens.pop();
  if (last === undefined) return;
  let node: unknown = target;
  for (const token of tokens) {
    node = Array.isArray(node) ? node[Number(token)] : isObject(node) ? node[token] : undefined;
    if (node === undefined) return;
  }
  if (Array.isArray(node)) node.splice(Number(last), 1);
  else if (isObject(node)) delete node[last];
}

/** The application's ignoreDifferences that apply to this object. */
export function ignoredPointers(object: KubeObject, rules: readonly IgnoreDifference[]): string[] {
  return rules
    .filter(
      (rule) =>
        rule.kind === object.kind &&
        (rule.group === undefined || rule.group === groupOf(object.apiVersion)) &&
        (rule.name === undefined || rule.name === object.metadata.name) &&
        (rule.namespace === undefined || rule.namespace === object.metadata.namespace),
    )
    .flatMap((rule) => rule.jsonPointers);
}

export function withoutPointers(object: KubeObject, pointers: readonly string[]): KubeObject {
  for (const pointer of pointers) removePointer(object, pointer);
  return object;
}
