import { describe, expect, it } from 'vitest';
import { setHelmImage } from './helm.js';
import { setKustomizeImage } from './kustomize.js';
import { setManifestImages } from './manifests.js';

const pin = { repository: 'r.io/acme/hello', digest: `sha256:${'2'.repeat(64)}`, tag: '1.0' };
const d = pin.digest;

describe('edits of unusual YAML', () => {
  it('adds to flow mappings and flow sequences inside their brackets', () => {
    expect(setKustomizeImage('images: [{ name: r.io/acme/hello }]\n', pin)).toBe(
      `images: [{ name: r.io/acme/hello, newTag: "1.0", digest: ${d} }]\n`,
    );
    expect(setKustomizeImage('images: []\n', pin)).toBe(
      `images: [{ name: r.io/acme/hello, newTag: "1.0", digest: ${d} }]\n`,
    );
  });

  it('fills a key that has no value, and quotes a tag that would read as a number', () => {
    const text = 'images:\n  - name: r.io/acme/hello\n    newTag:\n    digest:\n';
    expect(setKustomizeImage(text, pin)).toBe(
      `images:\n  - name: r.io/acme/hello\n    newTag: "1.0"\n    digest: ${d}\n`,
    );
  });

  it('keeps a file without a final newline as it ends', () => {
    expect(setHelmImage('image:\n  repository: x', 'image', pin)).toBe(
      `image:\n  repository: r.io/acme/hello\n  tag: "1.0"\n  digest: ${d}`,
    );
  });

  it('writes a whole reference where the image key holds one string', () => {
    expect(setHelmImage('image: r.io/acme/hello:old # pinned\n', 'image', pin)).toBe(
      `image: r.io/acme/hello:1.0@${d} # pinned\n`,
    );
  });

  it('refuses what it cannot edit, with a message naming the problem', () => {
    expect(() => setKustomizeImage('images: nope\n', pin)).toThrow(/not a list/);
    expect(() => setKustomizeImage('- a\n', pin)).toThrow(/not a YAML mapping/);
    expect(() => setManifestImages('a: [\n', pin, 'envs/dev/x.yaml')).toThrow(
      /envs\/dev\/x.yaml is not valid YAML/,
    );
    expect(() => setHelmImage('image:\n  tag: [1]\n', 'image', pin)).toThrow(/tag holds a sequence/);
  });

  it('leaves other images and non-workload documents alone', () => {
    const text =
      'kind: ConfigMap\ndata:\n  image: r.io/acme/hello:old\n---\nkind: Pod\nspec:\n  containers:\n    - image: r.io/acme/hello-sidecar:1\n';
    expect(setManifestImages(text, pin)).toBe(text);
  });
});
