import {
  type Document,
  type Node,
  type Pair,
  type Scalar,
  YAMLMap,
  type YAMLSeq,
  isMap,
  isScalar,
  stringify,
} from 'yaml';

/**
 * Edits of YAML source text located with the `yaml` Document API and spliced into the original
 * text: `doc.toString()` would re-indent and re-flow the whole file, while a splice keeps every
 * byte outside the edited values (comments, key order, quoting, indentation) as it was.
 */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
}

/** Applies non-overlapping edits, whatever their order. */
export function applyEdits(text: string, edits: TextEdit[]): string {
  let out = text;
  for (const edit of [...edits].sort((a, b) => b.start - a.start)) {
    out = out.slice(0, edit.start) + edit.text + out.slice(edit.end);
  }
  return out;
}

type StringType = 'PLAIN' | 'QUOTE_DOUBLE' | 'QUOTE_SINGLE';

/** A string as a one-line YAML scalar, in the quoting style of the value it replaces where that is safe. */
export function scalarText(value: string, type?: Scalar['type']): string {
  const style: StringType = type === 'QUOTE_DOUBLE' || type === 'QUOTE_SINGLE' ? type : 'PLAIN';
  return stringify(value, { defaultStringType: style, lineWidth: 0 }).trimEnd();
}

const column = (text: string, offset: number) => offset - (text.lastIndexOf('\n', offset - 1) + 1);

/** Where a line can be added after `end` (the end of a block node), and how to frame it. */
function lineAfter(text: string, end: number): { at: number; before: string; after: string } {
  if (end > 0 && text[end - 1] === '\n') return { at: end, before: '', after: '\n' };
  const newline = text.indexOf('\n', end);
  return { at: newline === -1 ? text.length : newline, before: '\n', after: '' };
}

/** The value at `key` of a map, if any. */
export const pairOf = (map: YAMLMap, key: string): Pair | undefined =>
  map.items.find((pair) => isScalar(pair.key) && String(pair.key.value) === key) as Pair | undefined;

export const valueAt = (map: unknown, key: string): unknown =>
  isMap(map) ? (pairOf(map, key)?.value ?? undefined) : undefined;

/** A scalar's string value, or undefined for anything else. */
export const stringOf = (node: unknown): string | undefined =>
  isScalar(node) && node.value !== null ? String(node.value) : undefined;

/** An entry to set: a scalar value, or block lines (relative indentation) under the key. */
export type Entry = [key: string, value: string] | [key: string, value: { block: string[] }];

function entryLines(entry: Entry, indent: string): string {
  const [key, value] = entry;
  if (typeof value === 'string') return `${indent}${scalarText(key)}: ${scalarText(value)}`;
  return [`${indent}${scalarText(key)}:`, ...value.block.map((line) => `${indent}  ${line}`)].join('\n');
}

function flowEntry([key, value]: Entry): string {
  if (typeof value !== 'string') throw new Error(`cannot add block ${key} inside a flow mapping`);
  return `${scalarText(key)}: ${scalarText(value)}`;
}

/** Edits adding `entries` at the end of a map (block or flow), indented as its first key. */
export function appendToMap(text: string, map: YAMLMap, entries: Entry[]): TextEdit[] {
  if (entries.length === 0) return [];
  const [start = 0, end = 0] = map.range ?? [];
  if (map.flow) {
    const items = entries.map(flowEntry).join(', ');
    const last = map.items.at(-1);
    const lastEnd = (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | undefined)?.range?.[1];
    if (lastEnd !== undefined) return [{ start: lastEnd, end: lastEnd, text: `, ${items}` }];
    const close = text.lastIndexOf('}', end);
    return [{ start: close, end: close, text: ` ${items} ` }];
  }
  const first = map.items[0]?.key as Node | undefined;
  const indent = ' '.repeat(column(text, first?.range?.[0] ?? start));
  const last = map.items.at(-1);
  const lastEnd =
    (last?.value as Node | null)?.range?.[1] ?? (last?.key as Node | undefined)?.range?.[1] ?? end;
  const { at, before, after } = lineAfter(text, lastEnd);
  const lines = entries.map((entry) => entryLines(entry, indent)).join('\n');
  return [{ start: at, end: at, text: `${before}${lines}${after}` }];
}

/** An edit adding a block item (lines relative to its `- `) at the end of a sequence. */
export function appendToSeq(text: string, seq: YAMLSeq, item: string[]): TextEdit[] {
  const [start = 0, end = 0] = seq.range ?? [];
  if (seq.flow) {
    const close = text.lastIndexOf(']', end);
    const lead = seq.items.length > 0 ? ', ' : '';
    return [
      { start: close, end: close, text: `${lead}{ ${item.map((l) => l.replace(/^- /, '')).join(', ')} }` },
    ];
  }
  const indent = ' '.repeat(column(text, start));
  const last = seq.items.at(-1) as Node | undefined;
  const { at, before, after } = lineAfter(text, last?.range?.[1] ?? end);
  const lines = item.map((line, i) => `${indent}${i === 0 ? '- ' : '  '}${line}`).join('\n');
  return [{ start: at, end: at, text: `${before}${lines}${after}` }];
}

/**
 * Edits setting `values` in a map: existing scalars are replaced in place (their quoting kept),
 * missing keys added at its end. A key holding a collection is an error, never overwritten.
 */
export function setInMap(text: string, map: YAMLMap, values: Record<string, string>): TextEdit[] {
  const edits: TextEdit[] = [];
  const missing: Entry[] = [];
  for (const [key, value] of Object.entries(values)) {
    const pair = pairOf(map, key);
    const node = pair?.value;
    if (!pair) {
      missing.push([key, value]);
    } else if (node === null || node === undefined) {
      // `key:` with nothing after it: the value goes right after the colon.
      const colon = text.indexOf(':', (pair.key as Node).range?.[1] ?? 0) + 1;
      edits.push({ start: colon, end: colon, text: ` ${scalarText(value)}` });
    } else if (isScalar(node) && node.range) {
      if (node.value !== value) {
        // An empty value (`key:`) is a null scalar right after the colon.
        const lead = text[node.range[0] - 1] === ':' ? ' ' : '';
        edits.push({ start: node.range[0], end: node.range[1], text: lead + scalarText(value, node.type) });
      }
    } else {
      throw new Error(`${key} holds a ${isMap(node) ? 'mapping' : 'sequence'}, not a value`);
    }
  }
  return [...edits, ...appendToMap(text, map, missing)];
}

/** The root mapping of a document, or undefined (an empty document, a scalar, a list). */
export const rootMap = (doc: Document): YAMLMap | undefined =>
  doc.contents instanceof YAMLMap ? doc.contents : undefined;
