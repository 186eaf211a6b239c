import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';

const WORDS = [
  'request',
  'response',
  'handler',
  'config',
  'value',
  'result',
  'buffer',
  'stream',
  'error',
  'options',
];
const OPS = ['+', '-', '*', '&&', '||', '??'];

/** A seeded generator (mulberry32), so every run writes the same sample. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** JavaScript-looking text of about `bytes` bytes: compresses about as well as real library code. */
function code(rand: () => number, bytes: number): string {
  const pick = <T>(list: T[]) => list[Math.floor(rand() * list.length)] as T;
  const lines: string[] = [];
  let size = 0;
  while (size < bytes) {
    const name = `${pick(WORDS)}${pick(WORDS).replace(/^./, (c) => c.toUpperCase())}${Math.floor(rand() * 1000)}`;
    const line = `export function ${name}(${pick(WORDS)}, ${pick(WORDS)}) { return ${pick(WORDS)} ${pick(OPS)} ${Math.floor(rand() * 1e6)}; }\n`;
    lines.push(line);
    size += line.length;
  }
  return lines.join('');
}

/**
 * Writes a sample Node service: package.json, src/ (40 modules), node_modules/ (40 packages of 8
 * files, a few with a native-addon-like binary), about 20 MB in about 380 files. Returns the file count.
 */
export async function writeSampleApp(dir: string): Promise<number> {
  const rand = random(42);
  const files = new Map<string, string | Buffer>();
  files.set(
    'package.json',
    JSON.stringify({ name: 'sample', version: '1.0.0', main: 'src/index.js' }, null, 2),
  );
  for (let i = 0; i < 40; i++) files.set(`src/module-${i}.js`, code(rand, 8_000));
  for (let p = 0; p < 40; p++) {
    const pkg = `node_modules/pkg-${p}`;
    files.set(`${pkg}/package.json`, JSON.stringify({ name: `pkg-${p}`, version: `1.${p}.0` }));
    files.set(`${pkg}/README.md`, code(rand, 3_000));
    for (let f = 0; f < 6; f++)
      files.set(`${pkg}/lib/file-${f}.js`, code(rand, 55_000 + Math.floor(rand() * 10_000)));
    if (p % 10 === 0)
      files.set(
        `${pkg}/build/addon.node`,
        Buffer.from(Array.from({ length: 1_000_000 }, () => Math.floor(rand() * 256))),
      );
  }
  for (const [path, content] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return files.size;
}
