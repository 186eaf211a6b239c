// Regenerates schemas/*.json from the TypeBox sources; `schemas.test.ts` fails when they drift.
import { mkdirSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { jsonSchemas } from '../src/json-schemas.js';

const dir = resolve(import.meta.dirname, '../schemas');
mkdirSync(dir, { recursive: true });
for (const [file, schema] of Object.entries(jsonSchemas())) {
  writeFileSync(resolve(dir, file), `${JSON.stringify(schema, null, 2)}\n`);
}
