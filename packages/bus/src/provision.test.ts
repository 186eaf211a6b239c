import { describe, expect, it } from 'vitest';
import { changedFields } from './provision.js';

describe('changedFields', () => {
  it('lists the fields whose live value differs from the spec', () => {
    expect(changedFields({ max_age: 1, num_replicas: 1 }, { max_age: 2, num_replicas: 1 })).toEqual([
      'max_age',
    ]);
  });

  it('compares subjects as a set', () => {
    expect(changedFields({ subjects: ['b', 'a'] }, { subjects: ['a', 'b'] })).toEqual([]);
    expect(changedFields({ subjects: ['a'] }, { subjects: ['a', 'b'] })).toEqual(['subjects']);
  });
});
