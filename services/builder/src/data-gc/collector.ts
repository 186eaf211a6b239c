import type { BackgroundTask } from '@gitops/service';
import type { Logger } from '@gitops/telemetry';
import type { BuilderConfig } from '../config.js';
import type { AreaName } from './areas.js';
import type { DataDirMetrics } from './metrics.js';
import { type SweepReport, sweep } from './sweep.js';

export interface DataCollectorOptions {
  /** GITOPS_DATA_DIR. */
  root: string;
  /** GITOPS_DATA_MAX; 0 for no size budget. */
  maxBytes: number;
  maxAgeMs: Record<AreaName, number>;
  /** GITOPS_DATA_GC_INTERVAL: the time between sweeps. */
  intervalMs: number;
  logger: Logger;
  metrics: DataDirMetrics;
}

/**
 * Keeps GITOPS_DATA_DIR within its age limits and size budget (docs/builder.md, "Data directory and
 * garbage collection"): a sweep at start and every interval, never two at once in one process, and
 * safe beside the sweeps of other replicas. A failed sweep is logged; the next one tries again.
 */
export class DataCollector implements BackgroundTask {
  #timer: NodeJS.Timeout | undefined;
  #running: Promise<SweepReport | undefined> | undefined;

  constructor(private readonly options: DataCollectorOptions) {}

  start(): void {
    if (this.#timer) return;
    void this.sweep();
    this.#timer = setInterval(() => void this.sweep(), this.options.intervalMs);
    this.#timer.unref();
  }

  /** No further sweeps; resolves once the one running (if any) has finished. */
  async stop(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    await this.#running;
  }

  /** Sweeps now, or joins the sweep already running; undefined when it failed (logged). */
  sweep(): Promise<SweepReport | undefined> {
    this.#running ??= this.#sweep().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  async #sweep(): Promise<SweepReport | undefined> {
    const { root, maxBytes, maxAgeMs, logger, metrics } = this.options;
    const started = performance.now();
    try {
      const report = await sweep({
        root,
        policy: { maxBytes, maxAgeMs },
        onError: (err, entry) =>
          logger.warn({ err, entry: entry.path }, 'cannot remove a data directory entry'),
      });
      metrics.held(report.held);
      for (const { area, bytes } of report.removed) metrics.removed(area, bytes);
      this.#log(report, Math.round(performance.now() - started));
      return report;
    } catch (err) {
      logger.error({ err, dataDir: root }, 'data directory sweep failed');
      return undefined;
    }
  }

  #log(report: SweepReport, durationMs: number): void {
    const { logger, maxBytes } = this.options;
    const removedBytes = report.removed.reduce((total, r) => total + r.bytes, 0);
    const summary = { removed: report.removed.length, removedBytes, held: report.held, durationMs };
    if (report.removed.length > 0) logger.info(summary, 'data directory swept');
    else logger.debug(summary, 'data directory swept');
    if (report.overBudgetBytes > 0) {
      logger.warn(
        { overBudgetBytes: report.overBudgetBytes, maxBytes },
        'data directory over GITOPS_DATA_MAX with only entries in use left; nothing more removed',
      );
    }
  }
}

/** The collector's settings from the builder's configuration. */
export function collectorSettings(
  config: BuilderConfig,
): Pick<DataCollectorOptions, 'maxBytes' | 'maxAgeMs' | 'intervalMs'> {
  return {
    maxBytes: config.GITOPS_DATA_MAX,
    intervalMs: config.GITOPS_DATA_GC_INTERVAL,
    maxAgeMs: {
      workspaces: config.GITOPS_DATA_WORKSPACES_MAX_AGE,
      layouts: config.GITOPS_DATA_LAYOUTS_MAX_AGE,
      logs: config.GITOPS_DATA_LOGS_MAX_AGE,
      results: config.GITOPS_DATA_RESULTS_MAX_AGE,
      mirrors: config.GITOPS_DATA_MIRRORS_MAX_AGE,
      cache: config.GITOPS_DATA_CACHE_MAX_AGE,
      buildah: config.GITOPS_DATA_CACHE_MAX_AGE,
    },
  };
}
