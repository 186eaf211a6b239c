import type { Logger } from 'pino';

export interface RunningService {
  logger: Logger;
  /** Stops taking work, finishes or hands back what is in flight, closes connections. */
  stop(): Promise<void>;
  /** Past this the process exits anyway (default 25 s, under Kubernetes' 30 s grace period). */
  shutdownTimeoutMs?: number;
}

/**
 * Runs a service's `start`, then stops it once on SIGTERM or SIGINT, within its shutdown timeout
 * (past that the process exits anyway: in-flight queue jobs go back to the queue via stalled-job
 * recovery, unacked events are redelivered). A start-up failure, such as a bad environment
 * variable, prints one line to stderr and exits 1.
 */
export function runService(name: string, start: () => Promise<RunningService>): void {
  start().then(
    (service) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        service.logger.info({ signal }, 'shutting down');
        const shutdownTimeoutMs = service.shutdownTimeoutMs ?? 25_000;
        const timer = setTimeout(() => {
          service.logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
          process.exit(1);
        }, shutdownTimeoutMs);
        timer.unref();
        service.stop().then(
          () => process.exit(0),
          (err) => {
            service.logger.error({ err }, 'shutdown failed');
            process.exit(1);
          },
        );
      };
      process.once('SIGTERM', () => stop('SIGTERM'));
      process.once('SIGINT', () => stop('SIGINT'));
      process.on('unhandledRejection', (err) => service.logger.error({ err }, 'unhandled rejection'));
    },
    (err: Error) => {
      process.stderr.write(`${name}: cannot start: ${err.message}\n`);
      process.exit(1);
    },
  );
}
