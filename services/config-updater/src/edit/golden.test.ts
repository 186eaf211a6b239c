import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { helmImage, setHelmImage } from './helm.js';
import { kustomizeImage, setKustomizeImage } from './kustomize.js';
import { manifestImages, setManifestImages } from './manifests.js';

const FIXTURES = join(import.meta.dirname, '__fixtures__');
const pin = {
  repository: '127.0.0.1:5000/acme/hello',
  tag: 'main-abc1234-7',
  digest: `sha256:${'1'.repeat(64)}`,
};
const editors: Record<string, (text: string) => string> = {
  kustomize: (text) => setKustomizeImage(text, pin),
  manifests: (text) => setManifestImages(text, pin),
  helm: (text) => setHelmImage(text, 'app.image', pin),
};
const readers: Record<string, (text: string) => unknown> = {
  kustomize: (text) => kustomizeImage(text, pin.repository),
  manifests: (text) => manifestImages(text, pin.repository)[0],
  helm: (text) => helmImage(text, 'app.image'),
};
const cases = readdirSync(FIXTURES)
  .filter((name) => name.endsWith('.in.yaml'))
  .map((name) => name.replace(/\.in\.yaml$/, ''));

describe('golden files: the pin changes only the edited values, byte for byte', () => {
  it.each(cases)('%s', (name) => {
    const kind = name.split('-')[0] ?? '';
    const input = readFileSync(join(FIXTURES, `${name}.in.yaml`), 'utf8');
    const expected = readFileSync(join(FIXTURES, `${name}.out.yaml`), 'utf8');
    const edit = editors[kind]!;
    const output = edit(input);
    expect(output).toBe(expected);
    // Pinned already: a second edit changes nothing, so a replay commits nothing.
    expect(edit(output)).toBe(output);
    expect(readers[kind]!(output)).toEqual(pin);
  });
});
