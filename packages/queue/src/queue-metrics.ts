import { type GaugeSpec, type MetricsRegistry, scrapedGauges } from '@gitops/telemetry';
import type { Queue } from 'bullmq';

const QUEUE_JOBS = 'gitops_queue_jobs';
const STATES = ['waiting', 'active', 'delayed', 'failed'] as const;

const QUEUE_GAUGES: GaugeSpec[] = [
  {
    name: QUEUE_JOBS,
    help: 'Jobs in a stage queue by state (waiting, active, delayed, failed), read from Redis at scrape time',
    labelNames: ['queue', 'state'],
  },
];

/**
 * Reports a stage queue's jobs per state at every scrape until the queue is closed; absent while
 * Redis does not answer. Every replica of a stage reports the same queue's numbers.
 */
export function trackQueueJobs(queue: Queue, registry: MetricsRegistry | undefined): void {
  if (!registry) return;
  const remove = scrapedGauges(registry, QUEUE_GAUGES).add(async () => {
    if (queue.closing) {
      remove();
      return [];
    }
    const counts = await queue.getJobCounts(...STATES);
    return STATES.map((state) => ({
      gauge: QUEUE_JOBS,
      labels: { queue: queue.name, state },
      value: counts[state] ?? 0,
    }));
  });
}
