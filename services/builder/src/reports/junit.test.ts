import { describe, expect, it } from 'vitest';
import { parseJunit, sumCounts } from './junit.js';

// Surefire-style: suites with totals, an <error>, a <failure> whose message quotes "a > b", a skipped
// case, and CDATA output that mentions <testcase> without being one.
const SUREFIRE = `<?xml version="1.0" encoding="UTF-8"?>
<testsuites>
  <testsuite name="com.acme.MathTest" tests="5" failures="1" errors="1" skipped="1">
    <testcase name="adds" classname="com.acme.MathTest" time="0.01"/>
    <testcase name="compares" classname="com.acme.MathTest"><failure message="expected a &gt; b, got a > b">trace</failure></testcase>
    <testcase name="divides" classname="com.acme.MathTest"><error type="java.lang.ArithmeticException"/></testcase>
    <testcase name="later" classname="com.acme.MathTest"><skipped/></testcase>
    <testcase name="prints" classname="com.acme.MathTest"><system-out><![CDATA[<testcase name="fake"/>]]></system-out></testcase>
  </testsuite>
</testsuites>`;

describe('JUnit reports', () => {
  it('counts test cases by outcome, ignoring markup inside CDATA', () => {
    expect(parseJunit(SUREFIRE)).toEqual({ total: 5, failed: 2, skipped: 1 });
  });

  it('reads a bare <testsuite> root as pytest writes it', () => {
    const pytest =
      '<testsuite name="pytest"><testcase name="a"/><testcase name="b"><skipped message="x"/></testcase></testsuite>';
    expect(parseJunit(pytest)).toEqual({ total: 2, failed: 0, skipped: 1 });
  });

  it('refuses XML that is not a test report', () => {
    expect(parseJunit('<coverage line-rate="1"/>')).toBeUndefined();
  });

  it('sums several reports, and gives nothing for none', () => {
    const one = { total: 2, failed: 1, skipped: 0 };
    expect(sumCounts([one, { total: 3, failed: 0, skipped: 2 }])).toEqual({
      total: 5,
      failed: 1,
      skipped: 2,
    });
    expect(sumCounts([])).toBeUndefined();
  });
});
