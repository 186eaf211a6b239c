import { Counter, Gauge, type MetricsRegistry } from '@gitops/telemetry';
import { type AreaName, DATA_AREAS } from './areas.js';

/** What the collector reports after each sweep. */
export interface DataDirMetrics {
  /** The bytes each area holds once the sweep is done. */
  held(bytes: Record<AreaName, number>): void;
  removed(area: AreaName, bytes: number): void;
}

export function dataDirMetrics(registry: MetricsRegistry): DataDirMetrics {
  const held = new Gauge({
    name: 'gitops_data_dir_bytes',
    help: 'Bytes held in GITOPS_DATA_DIR by area (cache, buildah, mirrors, layouts, logs, results, workspaces), as of the last sweep',
    labelNames: ['area'] as const,
    registers: [registry],
  });
  const removed = new Counter({
    name: 'gitops_data_dir_removed_bytes_total',
    help: 'Bytes the data directory collector removed, by area',
    labelNames: ['area'] as const,
    registers: [registry],
  });
  for (const { name } of DATA_AREAS) removed.inc({ area: name }, 0);
  return {
    held: (bytes) => {
      for (const [area, value] of Object.entries(bytes)) held.set({ area }, value);
    },
    removed: (area, bytes) => removed.inc({ area }, bytes),
  };
}
