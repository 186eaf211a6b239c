import { Counter, Histogram, type MetricsRegistry } from '@gitops/telemetry';

export type SyncResult = 'applied' | 'noop' | 'failed' | 'error';

/** What the service tells its metrics. */
export interface ReconcilerMetrics {
  synced(trigger: string, result: SyncResult, durationMs: number): void;
  drifted(action: 'alerted' | 'healed'): void;
}

/** The reconciler's own metrics, on the service's registry. */
export function reconcilerMetrics(registry: MetricsRegistry): ReconcilerMetrics {
  const syncs = new Histogram({
    name: 'gitops_reconcile_duration_seconds',
    help: 'Reconcile passes by trigger and result (applied, noop, failed, error), health wait included',
    labelNames: ['trigger', 'result'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  const drift = new Counter({
    name: 'gitops_drift_total',
    help: 'Drift found in applied objects, by action (alerted or healed)',
    labelNames: ['action'] as const,
    registers: [registry],
  });
  return {
    synced: (trigger, result, durationMs) => syncs.observe({ trigger, result }, durationMs / 1000),
    drifted: (action) => drift.inc({ action }),
  };
}
