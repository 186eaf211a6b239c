import { type Document, type YAMLMap, isMap, isScalar, parseDocument } from 'yaml';
import { type ImagePin, type ImageRef, formatImageRef, imageRefOf, parseImageRef } from './image-ref.js';
import {
  type Entry,
  appendToMap,
  applyEdits,
  rootMap,
  scalarText,
  setInMap,
  stringOf,
  valueAt,
} from './yaml-text.js';

function parseValues(text: string, file: string): { doc: Document; root: YAMLMap | undefined } {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) throw new Error(`${file} is not valid YAML: ${doc.errors[0]?.message}`);
  if (doc.contents !== null && !rootMap(doc)) throw new Error(`${file} is not a YAML mapping`);
  return { doc, root: rootMap(doc) };
}

const pinValues = (pin: ImagePin): Record<string, string> => ({
  repository: pin.repository,
  ...(pin.tag ? { tag: pin.tag } : {}),
  digest: pin.digest,
});

/** `{ block }` lines that create `keys` as nested mappings ending in the pin's values. */
function nested(keys: string[], values: Record<string, string>): Entry {
  const [first = '', ...rest] = keys;
  const leaf = Object.entries(values).map(([k, v]) => `${k}: ${scalarText(v)}`);
  const lines = rest.reduceRight(
    (inner, key) => [`${scalarText(key)}:`, ...inner.map((line) => `  ${line}`)],
    leaf,
  );
  return [first, { block: lines }];
}

/**
 * Sets `<imageKey>.repository`, `.tag` and `.digest` in a Helm values file (`imageKey` dotted, e.g.
 * `image` or `app.image`), creating the mappings that are missing. An `imageKey` that holds a single
 * string (`image: repo:tag`) gets the whole reference `repo:tag@digest` instead.
 */
export function setHelmImage(
  text: string,
  imageKey: string,
  pin: ImagePin,
  file = 'the values file',
): string {
  const { root } = parseValues(text, file);
  const keys = imageKey.split('.');
  if (!root)
    return `${text}${text === '' || text.endsWith('\n') ? '' : '\n'}${render(nested(keys, pinValues(pin)))}\n`;
  let map: YAMLMap = root;
  for (const [i, key] of keys.entries()) {
    const node = valueAt(map, key);
    if (node === undefined) {
      return applyEdits(text, appendToMap(text, map, [nested(keys.slice(i), pinValues(pin))]));
    }
    if (isScalar(node) && i === keys.length - 1 && node.range) {
      const ref = formatImageRef(pin);
      if (node.value === ref) return text;
      return applyEdits(text, [
        { start: node.range[0], end: node.range[1], text: scalarText(ref, node.type) },
      ]);
    }
    if (!isMap(node)) throw new Error(`${file}: ${keys.slice(0, i + 1).join('.')} is not a mapping`);
    map = node;
  }
  return applyEdits(text, setInMap(text, map, pinValues(pin)));
}

const render = ([key, value]: Entry) =>
  typeof value === 'string'
    ? `${key}: ${value}`
    : [`${key}:`, ...value.block.map((l) => `  ${l}`)].join('\n');

/** The image the values file names at `imageKey`, if any. */
export function helmImage(text: string, imageKey: string, file = 'the values file'): ImageRef | undefined {
  const node = imageKey.split('.').reduce<unknown>((n, key) => valueAt(n, key), parseValues(text, file).root);
  if (isScalar(node)) return stringOf(node) ? parseImageRef(String(node.value)) : undefined;
  const repository = stringOf(valueAt(node, 'repository'));
  if (!repository) return undefined;
  return imageRefOf(repository, stringOf(valueAt(node, 'tag')), stringOf(valueAt(node, 'digest')));
}
