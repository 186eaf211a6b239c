const MAX_CELLS = 4_000_000;

/** The longest common subsequence table of two line lists, from the end. */
function lcsTable(a: string[], b: string[]): Uint32Array[] {
  const table = Array.from({ length: a.length + 1 }, () => new Uint32Array(b.length + 1));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      table[i]![j] =
        a[i] === b[j] ? table[i + 1]![j + 1]! + 1 : Math.max(table[i + 1]![j]!, table[i]![j + 1]!);
    }
  }
  return table;
}

type Line = { op: ' ' | '-' | '+'; text: string };

function editScript(a: string[], b: string[]): Line[] {
  if (a.length * b.length > MAX_CELLS) {
    return [
      ...a.map((text) => ({ op: '-' as const, text })),
      ...b.map((text) => ({ op: '+' as const, text })),
    ];
  }
  const table = lcsTable(a, b);
  const lines: Line[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      lines.push({ op: ' ', text: a[i++]! });
      j++;
    } else if (i < a.length && (j === b.length || table[i + 1]![j]! >= table[i]![j + 1]!)) {
      lines.push({ op: '-', text: a[i++]! });
    } else {
      lines.push({ op: '+', text: b[j++]! });
    }
  }
  return lines;
}

/** A unified diff (`--- live`, `+++ desired`, hunks with 3 lines of context); empty when equal. */
export function unifiedDiff(before: string, after: string, names = { from: 'live', to: 'desired' }): string {
  if (before === after) return '';
  const a = before === '' ? [] : before.replace(/\n$/, '').split('\n');
  const b = after === '' ? [] : after.replace(/\n$/, '').split('\n');
  const lines = editScript(a, b);
  const changed = lines.map((line, index) => (line.op === ' ' ? -1 : index)).filter((index) => index >= 0);
  const out = [`--- ${names.from}`, `+++ ${names.to}`];
  let k = 0;
  while (k < changed.length) {
    const start = Math.max(0, changed[k]! - 3);
    let end = Math.min(lines.length, changed[k]! + 4);
    while (k + 1 < changed.length && changed[k + 1]! - 3 <= end)
      end = Math.min(lines.length, changed[++k]! + 4);
    k++;
    const hunk = lines.slice(start, end);
    const oldStart = lines.slice(0, start).filter((line) => line.op !== '+').length + 1;
    const newStart = lines.slice(0, start).filter((line) => line.op !== '-').length + 1;
    const oldCount = hunk.filter((line) => line.op !== '+').length;
    const newCount = hunk.filter((line) => line.op !== '-').length;
    out.push(`@@ -${oldStart},${oldCount} +${newStart},${newCount} @@`);
    for (const line of hunk) out.push(`${line.op}${line.text}`);
  }
  return `${out.join('\n')}\n`;
}
