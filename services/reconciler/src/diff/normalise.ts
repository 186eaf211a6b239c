import type { IgnoreDifference } from '@gitops/config';
import { type KubeObject, groupOf, isObject } from '../manifests/objects.js';

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

/** A deep copy without status and the server's own metadata. */
export function normalise(object: KubeObject): KubeObject {
  const copy = structuredClone(object) as KubeObject;
  delete copy.status;
  for (const field of SERVER_METADATA) delete copy.metadata[field];
  const annotations = copy.metadata.annotations;
  if (annotations) {
    for (const key of SERVER_ANNOTATIONS) delete annotations[key];
    if (Object.keys(annotations).length === 0) delete copy.metadata.annotations;
  }
  return copy;
}

const unescape = (token: string) => token.replace(/~1/g, '/').replace(/~0/g, '~');

/** Removes the value at a JSON pointer (RFC 6901) if it is there. */
export function removePointer(target: unknown, pointer: string): void {
  const tokens = pointer.split('/').slice(1).map(unescape);
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
