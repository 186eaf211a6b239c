import { describe, expect, it } from 'vitest';
import { createMetrics } from './metrics.js';

describe('createMetrics', () => {
  it('labels no series with service, which the scrape target already names', async () => {
    const metrics = createMetrics();
    metrics.eventsPublished.inc({ event: 'build.started', duplicate: 'false' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('gitops_events_published_total{event="build.started",duplicate="false"} 1');
    expect(text).toMatch(/^process_cpu_seconds_total \d/m);
    expect(text).not.toContain('service=');
  });
});
