import { describe, expect, it } from 'vitest';
import { jobIdFor } from './job-id.js';

describe('jobIdFor', () => {
  it('uses the event id as it is when BullMQ accepts it', () => {
    expect(jobIdFor({ id: 'hello-0123456789abcdef.source.received' })).toBe(
      'hello-0123456789abcdef.source.received',
    );
  });

  it('hashes an id with a colon or that reads as an integer, the same way every time', () => {
    const colon = jobIdFor({ id: 'urn:uuid:1' });
    expect(colon).toMatch(/^sha256-[0-9a-f]{64}$/);
    expect(jobIdFor({ id: 'urn:uuid:1' })).toBe(colon);
    expect(jobIdFor({ id: '42' })).toMatch(/^sha256-/);
    expect(jobIdFor({ id: 'urn:uuid:2' })).not.toBe(colon);
  });
});
