import { readFileSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from './json-schemas.js';

const dir = resolve(import.meta.dirname, '../schemas');

describe('exported JSON Schemas', () => {
  it('match the TypeBox sources (run `pnpm --filter @gitops/contracts schemas:write` after a change)', () => {
    const generated = jsonSchemas();
    expect(readdirSync(dir).sort()).toEqual(Object.keys(generated).sort());
    for (const [file, schema] of Object.entries(generated)) {
      expect(JSON.parse(readFileSync(resolve(dir, file), 'utf8')), file).toEqual(
        JSON.parse(JSON.stringify(schema)),
      );
    }
  });
});
