import { createMetrics } from '@gitops/telemetry';
import { buildSucceeded, imagePushed, uniqueApp } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { pushMetrics } from './metrics.js';

const pushed = (bytesUploaded: number, bytesSkipped: number) => {
  const app = uniqueApp();
  const build = buildSucceeded({ app, digest: `sha256:${'a'.repeat(64)}`, layout: `images/${app}` });
  const event = imagePushed(build, `registry.test/acme/${app}`);
  return { ...event, data: { ...event.data, bytesUploaded, bytesSkipped } };
};

describe('pushMetrics', () => {
  it('adds up the bytes uploaded and the bytes the registry already held', async () => {
    const { registry } = createMetrics();
    const observe = pushMetrics(registry);
    observe(pushed(1000, 0));
    observe(pushed(200, 800));
    const text = await registry.metrics();
    expect(text).toContain('gitops_image_push_bytes_total{outcome="uploaded"} 1200');
    expect(text).toContain('gitops_image_push_bytes_total{outcome="skipped"} 800');
  });
});
