import { describe, expect, it } from 'vitest';
import { exitCodeOf } from './tail-events.js';

describe("tail's exit code", () => {
  const until = ['image.pushed', 'build.failed'];

  it('is 0 at an --until event that is no failure, and 1 at a *.failed one', () => {
    expect(exitCodeOf({ seen: 4, stoppedBy: 'image.pushed', timedOut: false }, { until })).toBe(0);
    expect(exitCodeOf({ seen: 3, stoppedBy: 'build.failed', timedOut: false }, { until })).toBe(1);
  });

  it('is 1 when the tail ended before its --until event or its --count', () => {
    expect(exitCodeOf({ seen: 2, timedOut: true }, { until })).toBe(1);
    expect(exitCodeOf({ seen: 2, timedOut: true }, { count: 3 })).toBe(1);
  });

  it('is 0 after --count events', () => {
    expect(exitCodeOf({ seen: 3, timedOut: false }, { count: 3 })).toBe(0);
  });
});
