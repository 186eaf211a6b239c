import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * One Prometheus registry per service, with Node's default metrics and the platform's common ones.
 * It adds no `service` label: the scrape target's labels (Kubernetes service discovery's `service`,
 * `pod`, `namespace`) say where a series comes from, and a label of the same name would collide and
 * be renamed `exported_service`.
 */
export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  return {
    registry,
    eventsPublished: new Counter({
      name: 'gitops_events_published_total',
      help: 'Events published to JetStream, by event name and whether JetStream saw a duplicate',
      labelNames: ['event', 'duplicate'] as const,
      registers: [registry],
    }),
    eventsConsumed: new Counter({
      name: 'gitops_events_consumed_total',
      help: 'Events consumed from JetStream, by consumer and outcome (ack, retry, dead-letter)',
      labelNames: ['consumer', 'outcome'] as const,
      registers: [registry],
    }),
    jobDuration: new Histogram({
      name: 'gitops_job_duration_seconds',
      help: 'Stage job durations, by queue and outcome',
      labelNames: ['queue', 'outcome'] as const,
      buckets: [0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900],
      registers: [registry],
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
export { Counter, Gauge, Histogram, type Registry as MetricsRegistry } from 'prom-client';
