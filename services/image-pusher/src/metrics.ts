import type { GitopsEvent } from '@gitops/contracts';
import { Counter, type MetricsRegistry } from '@gitops/telemetry';

/**
 * The image pusher's own metrics; returns what to call with every image.pushed it publishes. The
 * skipped bytes are blobs the registry already held (or mounted from another repository): their
 * share of the total is what layer reuse saves.
 */
export function pushMetrics(registry: MetricsRegistry): (event: GitopsEvent<'image.pushed'>) => void {
  const bytes = new Counter({
    name: 'gitops_image_push_bytes_total',
    help: 'Image bytes pushed to the registry (uploaded) or found there already (skipped)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  return (event) => {
    bytes.inc({ outcome: 'uploaded' }, event.data.bytesUploaded);
    bytes.inc({ outcome: 'skipped' }, event.data.bytesSkipped);
  };
}
