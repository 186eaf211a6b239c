import { parseAllDocuments } from 'yaml';
import { renderFailed } from '../errors.js';
import { type KubeObject, isObject } from './objects.js';

/** The objects of a multi-document YAML text (`kind: List` expanded); a document that is not one names `source`. */
export function parseManifests(text: string, source: string): KubeObject[] {
  const objects: KubeObject[] = [];
  for (const [index, document] of parseAllDocuments(text).entries()) {
    const where = `${source}: document ${index + 1}`;
    if (document.errors.length > 0) throw renderFailed(`${where}: ${document.errors[0]!.message}`);
    const value: unknown = document.toJS();
    if (value === null || value === undefined) continue;
    const items =
      isObject(value) && value.kind === 'List' && Array.isArray(value.items) ? value.items : [value];
    for (const item of items) objects.push(asObject(item, where));
  }
  return objects;
}

function asObject(value: unknown, where: string): KubeObject {
  if (!isObject(value)) throw renderFailed(`${where}: not a Kubernetes object`);
  const metadata = value.metadata;
  if (typeof value.apiVersion !== 'string' || typeof value.kind !== 'string') {
    throw renderFailed(`${where}: apiVersion and kind are required`);
  }
  if (!isObject(metadata) || typeof metadata.name !== 'string' || metadata.name === '') {
    throw renderFailed(`${where}: ${value.kind} without metadata.name`);
  }
  return value as KubeObject;
}
