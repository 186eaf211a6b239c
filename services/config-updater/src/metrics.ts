import { Counter, type MetricsRegistry } from '@gitops/telemetry';

/** The config updater's own metrics: what the writer calls with each round it pushed and each lost race. */
export function writerMetrics(registry: MetricsRegistry): { onPushed(bumps: number): void; onRace(): void } {
  const rounds = new Counter({
    name: 'gitops_config_rounds_total',
    help: 'Rounds of writes to a config repository: one fetch, then a commit per environment and one push when anything changed',
    registers: [registry],
  });
  const bumps = new Counter({
    name: 'gitops_config_bumps_total',
    help: 'Image bumps written to config repositories; above the rounds when queued bumps were batched',
    registers: [registry],
  });
  const races = new Counter({
    name: 'gitops_config_push_races_total',
    help: 'Pushes refused because another writer moved the branch first; each is retried from the new head',
    registers: [registry],
  });
  return {
    onPushed: (n) => {
      rounds.inc();
      bumps.inc(n);
    },
    onRace: () => races.inc(),
  };
}
