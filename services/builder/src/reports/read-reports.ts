import { readFile, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { pathInside } from '../safe-path.js';
import { type Coverage, parseCoverage } from './coverage.js';
import { type TestCounts, parseJunit, sumCounts } from './junit.js';

export interface TestReports {
  coverage?: Coverage;
  tests?: TestCounts;
}

export interface ReportPaths {
  /** Candidates, the first that exists wins. */
  coverage: string[];
  /** Files, or directories whose `*.xml` files are read. */
  junit: string[];
}

const describe = (coverage: Coverage) =>
  Object.entries(coverage)
    .map(([kind, pct]) => `${kind} ${pct}%`)
    .join(', ');

async function readCoverage(src: string, candidates: string[], log: (line: string) => void) {
  for (const candidate of candidates) {
    const path = await pathInside(src, candidate, 'coverage report');
    if (!path) continue;
    const coverage = parseCoverage(await readFile(path, 'utf8'));
    log(
      coverage
        ? `coverage from ${candidate}: ${describe(coverage)}`
        : `${candidate}: no coverage totals found`,
    );
    return coverage;
  }
  return undefined;
}

/** A report path's XML files: the file itself, or a directory's `*.xml` (each checked for escapes too). */
async function junitFiles(src: string, candidate: string): Promise<string[]> {
  const path = await pathInside(src, candidate, 'test report');
  if (!path) return [];
  if (!(await stat(path)).isDirectory()) return [path];
  const names = (await readdir(path)).filter((name) => name.endsWith('.xml')).sort();
  const files = await Promise.all(names.map((name) => pathInside(src, join(candidate, name), 'test report')));
  return files.filter((file): file is string => file !== undefined);
}

async function readTests(src: string, candidates: string[], log: (line: string) => void) {
  const counts: TestCounts[] = [];
  for (const candidate of candidates) {
    for (const file of await junitFiles(src, candidate)) {
      const parsed = parseJunit(await readFile(file, 'utf8'));
      if (parsed) counts.push(parsed);
    }
  }
  const tests = sumCounts(counts);
  if (tests) log(`tests: ${tests.total} run, ${tests.failed} failed, ${tests.skipped} skipped`);
  return tests;
}

/**
 * The coverage and test counts the steps left in the repository. A missing report is no error (a
 * project without coverage); a report path that escapes the repository is (BuildFailure).
 */
export async function readReports(
  src: string,
  paths: ReportPaths,
  log: (line: string) => void,
): Promise<TestReports> {
  const reports: TestReports = {};
  const coverage = await readCoverage(src, paths.coverage, log);
  if (coverage) reports.coverage = coverage;
  const tests = await readTests(src, paths.junit, log);
  if (tests) reports.tests = tests;
  return reports;
}
