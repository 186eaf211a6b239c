import { describe, expect, it } from 'vitest';
import { deadLetterSubject, durableName } from './names.js';

describe('consumer names', () => {
  it('names a durable <service>--<stage>-<event>, without the dots NATS forbids', () => {
    expect(durableName('builder', 'source.received')).toBe('builder--source-received');
  });

  it('dead-letters under gitops.dlq.<durable>, outside the event stream', () => {
    expect(deadLetterSubject('builder--source-received')).toBe('gitops.dlq.builder--source-received');
  });
});
