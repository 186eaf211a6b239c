import { describe, expect, it } from 'vitest';
import { failureClass } from './failure-class.js';

describe('failureClass', () => {
  it("classes the builder's reasons", () => {
    expect(failureClass('step-failed', 3)).toBe('test');
    expect(failureClass('step-failed', 0)).toBe('build');
    expect(failureClass('step-failed', undefined)).toBe('build');
    expect(failureClass('invalid-config', undefined)).toBe('build');
    expect(failureClass('image', undefined)).toBe('image');
    expect(failureClass('timeout', undefined)).toBe('timeout');
    expect(failureClass('superseded', undefined)).toBe('superseded');
    expect(failureClass('source', undefined)).toBe('infrastructure');
    expect(failureClass(undefined, undefined)).toBe('infrastructure');
  });
});
