import { Counter, type MetricsRegistry } from '@gitops/telemetry';

/** The config updater's own metrics; answers what the writer calls with each round it pushed. */
export function writerMetrics(registry: MetricsRegistry): (bumps: number) => void {
  const rounds = new Counter({
    name: 'gitops_config_rounds_total',
    help: 'Writes to a config repository (one fetch, a commit per environment, one push)',
    registers: [registry],
  });
  const bumps = new Counter({
    name: 'gitops_config_bumps_total',
    help: 'Image bumps written to config repositories; above the rounds when queued bumps were batched',
    registers: [registry],
  });
  return (n) => {
    rounds.inc();
    bumps.inc(n);
  };
}
