import { describeError } from '@gitops/errors';
import type { BackgroundTask } from '@gitops/service';
import type { Logger } from '@gitops/telemetry';
import type { Controller } from './controller.js';
import type { Cluster } from './ports.js';

export interface ResyncOptions {
  intervalMs: number;
  /** While the cluster does not answer, how often to try it again. */
  reconnectMs?: number;
  /** Delay before the first pass after start. */
  firstDelayMs?: number;
}

/** ±20%, so replicas and applications do not all resync at the same moment. */
const jittered = (ms: number) => Math.round(ms * (0.8 + Math.random() * 0.4));

/**
 * The periodic resync: every application environment reconciled every RESYNC_INTERVAL (jittered),
 * the first pass shortly after start; while the cluster does not answer, it is tried again every
 * `reconnectMs` and a pass runs as soon as it does.
 */
export function resyncTask(
  controller: Controller,
  cluster: Cluster | undefined,
  logger: Logger,
  options: ResyncOptions,
): BackgroundTask {
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  let running: Promise<void> = Promise.resolve();
  const pass = async () => {
    if (cluster && !cluster.state().reachable) {
      const connected = await cluster.connect().then(
        () => true,
        () => false,
      );
      if (!connected) return schedule(options.reconnectMs ?? 10_000);
      logger.info('cluster reachable');
    }
    for (const app of controller.apps.values()) {
      for (const environment of app.config.environments) {
        if (stopped) return;
        await controller
          .sync(app, environment, 'resync')
          .catch((err) =>
            logger.warn(
              { app: app.name, environment: environment.name, err: describeError(err) },
              'resync failed',
            ),
          );
      }
    }
    schedule(jittered(options.intervalMs));
  };
  const schedule = (ms: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      running = pass();
    }, ms);
    timer.unref();
  };
  return {
    start: () => schedule(options.firstDelayMs ?? 1000),
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      await running.catch(() => undefined);
    },
  };
}
