// Fails when schemas/ differs from a fresh generation into a temporary directory (a hand edit, or a
// TypeBox change without `pnpm --filter @gitops/contracts schemas:write`).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SCHEMAS_DIR, schemaDifferences, writeSchemas } from './schema-files.js';

const fresh = mkdtempSync(join(tmpdir(), 'gitops-schemas-'));
try {
  writeSchemas(fresh);
  const differences = schemaDifferences(fresh, SCHEMAS_DIR);
  if (differences.length > 0) {
    process.stderr.write(
      `packages/contracts/schemas is stale (run \`pnpm --filter @gitops/contracts schemas:write\`):\n${differences.map((d) => `  ${d}\n`).join('')}`,
    );
    process.exitCode = 1;
  }
} finally {
  rmSync(fresh, { recursive: true, force: true });
}
