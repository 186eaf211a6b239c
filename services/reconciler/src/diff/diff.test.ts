import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { KubeObject } from '../manifests/objects.js';
import { diffObject } from './diff.js';
import { unifiedDiff } from './unified.js';

interface Case {
  name: string;
  desired: KubeObject;
  live?: KubeObject;
  manager?: string;
  ignoreDifferences?: [];
  expect: { action: string; fields: string[] };
}

const cases = parse(readFileSync(new URL('./fixtures/normalise.yaml', import.meta.url), 'utf8')) as Case[];

describe('diffObject (fixtures/normalise.yaml)', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = diffObject(c.desired, c.live, {
      ...(c.manager ? { manager: c.manager } : {}),
      ignoreDifferences: c.ignoreDifferences ?? [],
    });
    expect({ action: result.action, fields: result.fields.sort() }).toEqual({
      action: c.expect.action,
      fields: [...c.expect.fields].sort(),
    });
    expect(result.diff === '').toBe(c.expect.action === 'unchanged');
  });

  it('shows the changed line in the unified diff text', () => {
    const [, changed] = cases;
    const { diff } = diffObject(changed!.desired, changed!.live);
    expect(diff).toContain('-        - image: shop/web:1');
    expect(diff).toContain('+        - image: shop/web:2');
  });
});

describe('unifiedDiff', () => {
  it('answers hunks with context and line numbers', () => {
    const before = 'a\nb\nc\nd\ne\nf\ng\nh\n';
    const after = 'a\nb\nc\nD\ne\nf\ng\nh\n';
    expect(unifiedDiff(before, after)).toBe(
      '--- live\n+++ desired\n@@ -1,7 +1,7 @@\n a\n b\n c\n-d\n+D\n e\n f\n g\n',
    );
  });

  it('answers nothing for equal texts', () => {
    expect(unifiedDiff('a\n', 'a\n')).toBe('');
  });
});
