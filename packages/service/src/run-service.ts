import { startTracing } from '@gitops/telemetry';
import type { ServiceConfig, ServiceDefinition, ServiceEnvSpec } from './definition.js';
import { type StartedService, startService } from './start-service.js';

/** On the first SIGTERM or SIGINT: stop the service, flush traces, exit 0 (1 on failure or timeout). */
function exitOnSignal(service: StartedService<ServiceConfig>, stopTracing: () => Promise<void>): void {
  const { logger } = service;
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const shutdownTimeoutMs = service.config.SHUTDOWN_TIMEOUT;
    setTimeout(() => {
      logger.error({ shutdownTimeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, shutdownTimeoutMs).unref();
    service
      .stop()
      .then(stopTracing)
      .then(
        () => process.exit(0),
        (err) => {
          logger.error({ err }, 'shutdown failed');
          process.exit(1);
        },
      );
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));
  process.on('unhandledRejection', (err) => logger.error({ err }, 'unhandled rejection'));
}

/**
 * A service's whole process, what its `main.ts` calls: tracing first (when the OTEL_* variables ask
 * for it), then `startService`, then a graceful stop on SIGTERM or SIGINT within SHUTDOWN_TIMEOUT
 * (past that the process exits anyway: running jobs go back to the queue through stalled-job
 * recovery, unacked events are redelivered). A start-up failure, such as a bad environment
 * variable, prints one line to stderr and exits 1.
 */
export async function runService<S extends ServiceEnvSpec>(definition: ServiceDefinition<S>): Promise<void> {
  try {
    const stopTracing = await startTracing(definition.service);
    const started = await startService(definition);
    exitOnSignal(started as unknown as StartedService<ServiceConfig>, stopTracing);
  } catch (err) {
    process.stderr.write(`${definition.service}: cannot start: ${(err as Error).message}\n`);
    process.exit(1);
  }
}
