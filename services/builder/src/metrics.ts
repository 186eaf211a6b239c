import type { GitopsEvent } from '@gitops/contracts';
import { Counter, Histogram, type MetricsRegistry } from '@gitops/telemetry';

type ResultEvent = GitopsEvent<'build.succeeded'> | GitopsEvent<'build.failed'>;

/** The builder's own metrics; returns what to call with every finished build's result event. */
export function buildMetrics(registry: MetricsRegistry): (event: ResultEvent) => void {
  const builds = new Counter({
    name: 'gitops_builds_total',
    help: 'Finished builds by result (succeeded, failed) and failure reason (step-failed, timeout, superseded, …)',
    labelNames: ['result', 'reason'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'gitops_build_duration_seconds',
    help: 'Build durations, checkout to image, by result',
    labelNames: ['result'] as const,
    buckets: [1, 5, 15, 30, 60, 120, 300, 600, 1800],
    registers: [registry],
  });
  return (event) => {
    const result = event.type === 'dev.gitops.build.succeeded.v1' ? 'succeeded' : 'failed';
    const reason = 'reason' in event.data ? (event.data.reason ?? '') : '';
    builds.inc({ result, reason });
    duration.observe({ result }, event.data.durationMs / 1000);
  };
}
