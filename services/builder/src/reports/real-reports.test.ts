import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runProcess } from '../steps/process.js';
import { copyFixture } from '../test/fixtures.js';
import { parseLcov } from './coverage.js';
import { parseJunit } from './junit.js';

// The sample's own test command (from its .gitops.yaml), run for real with Node's test runner, which
// writes an lcov tracefile and a JUnit report and prints its own coverage table: that table is the
// independent answer the parsed lcov must agree with.
describe('reports of a real test run of the sample project', () => {
  let dir: string;
  let stdout = '';

  beforeAll(async () => {
    dir = await copyFixture('node-sample');
    await writeFile(
      join(dir, 'test/failing.test.js'),
      "import { test } from 'node:test';\ntest('fails on purpose', () => { throw new Error('red'); });\n",
    );
    const command = parse(await readFile(join(dir, '.gitops.yaml'), 'utf8')).steps[0].run as string;
    const result = await runProcess({
      command,
      cwd: dir,
      env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
      timeoutMs: 60_000,
      signal: new AbortController().signal,
      onOutput: (text) => {
        stdout += text;
      },
    });
    expect(result.exitCode, stdout).toBe(1);
  });

  it('gives the coverage totals Node printed for all files', async () => {
    const table = /all files\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)\s*\|\s*([\d.]+)/.exec(stdout);
    expect(table, stdout).not.toBeNull();
    const [lines, branches, functions] = table!.slice(1).map(Number);
    const coverage = parseLcov(await readFile(join(dir, 'coverage/lcov.info'), 'utf8'));
    expect(coverage).toEqual({ lines, branches, functions });
  });

  it('counts the passed, failed and skipped tests of the JUnit report', async () => {
    const counts = parseJunit(await readFile(join(dir, 'reports/junit.xml'), 'utf8'));
    expect(counts).toEqual({ total: 5, failed: 1, skipped: 1 });
  });
});
