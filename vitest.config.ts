import { readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'vitest/config';

// Workspace packages resolve to their TypeScript sources, so unit and integration tests need no build;
// the end-to-end tests spawn the built services (`dist/main.js`) as separate processes instead.
const alias = [
  { find: /^@gitops\/([a-z-]+)$/, replacement: resolve(import.meta.dirname, 'packages/$1/src/index.ts') },
];

const project = (dir: string, name: string) => ({
  resolve: { alias },
  test: {
    name,
    root: resolve(import.meta.dirname, dir),
    include: ['src/**/*.test.ts', 'test/**/*.test.ts', '*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

const projects = [
  ...['packages', 'services'].flatMap((group) =>
    readdirSync(resolve(import.meta.dirname, group)).map((name) => project(`${group}/${name}`, name)),
  ),
  project('e2e', 'e2e'),
];

export default defineConfig({
  test: {
    projects,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-reports/all.json' },
  },
});
