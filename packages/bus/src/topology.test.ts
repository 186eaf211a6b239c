import { nanos } from '@nats-io/transport-node';
import { describe, expect, it } from 'vitest';
import { streamTopology } from './topology.js';

const HOUR = 60 * 60 * 1000;

describe('streamTopology', () => {
  it('keeps events 30 days in file storage and remembers message ids for 72 hours by default', () => {
    const [events, deadLetters] = streamTopology();
    expect(events).toMatchObject({
      name: 'GITOPS',
      subjects: ['gitops.v1.>'],
      storage: 'file',
      max_age: nanos(30 * 24 * HOUR),
      duplicate_window: nanos(72 * HOUR),
      num_replicas: 1,
    });
    expect(deadLetters).toMatchObject({ name: 'GITOPS_DLQ', subjects: ['gitops.dlq.>'], storage: 'file' });
  });

  it('takes the max age, duplicate window, replicas and storage from its options', () => {
    const [events] = streamTopology({
      maxAgeMs: 2 * HOUR,
      duplicateWindowMs: HOUR,
      replicas: 3,
      storage: 'memory',
    });
    expect(events).toMatchObject({
      max_age: nanos(2 * HOUR),
      duplicate_window: nanos(HOUR),
      num_replicas: 3,
    });
    expect(events?.storage).toBe('memory');
  });

  it('refuses a duplicate window longer than the max age', () => {
    expect(() => streamTopology({ maxAgeMs: HOUR, duplicateWindowMs: 2 * HOUR })).toThrow(
      expect.objectContaining({ code: 'GITOPS_BUS_TOPOLOGY_INVALID' }),
    );
  });

  it('refuses a zero window, a negative age and an impossible replica count', () => {
    expect(() => streamTopology({ duplicateWindowMs: 0 })).toThrow(/duplicateWindowMs/);
    expect(() => streamTopology({ maxAgeMs: -1 })).toThrow(/maxAgeMs/);
    expect(() => streamTopology({ replicas: 0 })).toThrow(/replicas/);
  });
});
