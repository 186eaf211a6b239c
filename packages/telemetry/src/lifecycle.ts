import type { Logger } from 'pino';
import { startTracing } from './otel-sdk.js';

export interface RunningService {
  logger: Logger;
  /** Stops taking work, finishes or hands back what is in flight, closes connections. */
  stop(): Promise<void>;
  /** Past this the process exits anyway (default 25 s, under Kubernetes' 30 s grace period). */
  shutdownTimeoutMs?: number;
}

/** On the first SIGTERM or SIGINT: stop the service, flush traces, exit 0 (1 on failure or timeout). */
function exitOnSignal(service: RunningService, stopTracing: () => Promise<void>): void {
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    service.logger.info({ signal }, 'shutting down');
    const shutdownTimeoutMs = service.shutdownTimeoutMs ?? 25_000;
    setTimeout(() => {
      service.logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service
      .stop()
      .then(stopTracing)
      .then(
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
}

/**
 * Runs a service: tracing first (when the OTEL_* variables ask for it), then `start`, then a
 * graceful stop on SIGTERM or SIGINT within its shutdown timeout (past that the process exits
 * anyway: in-flight queue jobs go back to the queue via stalled-job recovery, unacked events are
 * redelivered). A start-up failure, such as a bad environment variable, prints one line to stderr
 * and exits 1.
 */
export async function runService(name: string, start: () => Promise<RunningService>): Promise<void> {
  try {
    const stopTracing = await startTracing(name);
    exitOnSignal(await start(), stopTracing);
  } catch (err) {
    process.stderr.write(`${name}: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
