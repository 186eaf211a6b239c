import { type Document, type YAMLMap, isMap, isSeq, parseAllDocuments } from 'yaml';
import { type ImagePin, type ImageRef, imageRefOf } from './image-ref.js';
import {
  type TextEdit,
  appendToMap,
  appendToSeq,
  applyEdits,
  rootMap,
  scalarText,
  setInMap,
  stringOf,
  valueAt,
} from './yaml-text.js';

/** The file names kustomize reads, in its order of preference. */
export const KUSTOMIZATION_FILES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

const firstMap = (text: string): { doc: Document; root: YAMLMap } => {
  const doc = parseAllDocuments(text).find((d) => !Array.isArray(d)) as Document | undefined;
  const root = doc && rootMap(doc);
  if (!doc || !root) throw new Error('the kustomization is not a YAML mapping');
  if (doc.errors.length > 0)
    throw new Error(`the kustomization is not valid YAML: ${doc.errors[0]?.message}`);
  return { doc, root };
};

/** The `images:` entry that names the repository (as `name`, or as the `newName` it is renamed to). */
function entryFor(root: YAMLMap, repository: string): YAMLMap | undefined {
  const images = valueAt(root, 'images');
  if (!isSeq(images)) return undefined;
  return images.items.find(
    (item): item is YAMLMap =>
      isMap(item) &&
      [stringOf(valueAt(item, 'name')), stringOf(valueAt(item, 'newName'))].includes(repository),
  );
}

function newEntry(pin: ImagePin): string[] {
  const entries = [
    ['name', pin.repository],
    ...(pin.tag ? [['newTag', pin.tag]] : []),
    ['digest', pin.digest],
  ];
  return entries.map(([key, value]) => `${key}: ${scalarText(value ?? '')}`);
}

/**
 * Pins the image in a kustomization as `kustomize edit set image <repo>:<tag>@<digest>` would
 * (`newTag` and `digest` of the entry naming the repository, added when there is none), the rest of
 * the file untouched.
 */
export function setKustomizeImage(text: string, pin: ImagePin): string {
  const { root } = firstMap(text);
  const images = valueAt(root, 'images');
  const entry = entryFor(root, pin.repository);
  let edits: TextEdit[];
  if (entry) {
    const values: Record<string, string> = {};
    const newName = stringOf(valueAt(entry, 'newName'));
    if (newName !== undefined && newName !== pin.repository) values.newName = pin.repository;
    if (pin.tag) values.newTag = pin.tag;
    values.digest = pin.digest;
    edits = setInMap(text, entry, values);
  } else if (isSeq(images)) {
    edits = appendToSeq(text, images, newEntry(pin));
  } else if (images === undefined) {
    const lines = newEntry(pin).map((line, i) => (i === 0 ? `- ${line}` : `  ${line}`));
    edits = appendToMap(text, root, [['images', { block: lines }]]);
  } else {
    throw new Error('`images:` of the kustomization is not a list');
  }
  return applyEdits(text, edits);
}

/** The image a kustomization pins for the repository, if it names it. */
export function kustomizeImage(text: string, repository: string): ImageRef | undefined {
  const entry = entryFor(firstMap(text).root, repository);
  if (!entry) return undefined;
  return imageRefOf(repository, stringOf(valueAt(entry, 'newTag')), stringOf(valueAt(entry, 'digest')));
}
