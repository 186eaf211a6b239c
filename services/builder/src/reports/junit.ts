import { xmlTags } from './xml.js';

/** Test counts, as build events carry them in `tests`. */
export interface TestCounts {
  total: number;
  failed: number;
  skipped: number;
}

/**
 * Counts the `<testcase>` elements of a JUnit XML report (Surefire, jest-junit, pytest, node --test):
 * one with `<failure>` or `<error>` failed, one with `<skipped>` was skipped. Counting cases rather
 * than trusting `<testsuite tests=…>` works for reporters that write no suite totals.
 */
export function parseJunit(text: string): TestCounts | undefined {
  const counts: TestCounts = { total: 0, failed: 0, skipped: 0 };
  let outcome: 'passed' | 'failed' | 'skipped' | undefined;
  let isReport = false;
  for (const tag of xmlTags(text)) {
    if (tag.name === 'testsuites' || tag.name === 'testsuite') isReport = true;
    if (tag.name === 'testcase') {
      if (tag.kind === 'close' || tag.kind === 'empty') {
        counts.total++;
        if (outcome === 'failed') counts.failed++;
        if (outcome === 'skipped') counts.skipped++;
        outcome = undefined;
      } else outcome = 'passed';
    } else if (outcome && tag.kind !== 'close') {
      if (tag.name === 'failure' || tag.name === 'error') outcome = 'failed';
      else if (tag.name === 'skipped' && outcome !== 'failed') outcome = 'skipped';
    }
  }
  return isReport ? counts : undefined;
}

/** The sum of several reports (one per test suite, as Surefire writes them). */
export function sumCounts(reports: TestCounts[]): TestCounts | undefined {
  if (reports.length === 0) return undefined;
  return reports.reduce((sum, r) => ({
    total: sum.total + r.total,
    failed: sum.failed + r.failed,
    skipped: sum.skipped + r.skipped,
  }));
}
