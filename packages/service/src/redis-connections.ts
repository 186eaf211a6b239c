import { AppError } from '@gitops/errors';
import type { RedisRole } from '@gitops/queue';
import type { Logger } from '@gitops/telemetry';
import { Redis } from 'ioredis';

/**
 * The one owner of a service's Redis connections: the shared client (stage producer, supersede keys,
 * build numbers) and the stage worker's blocking connection. Opened on first use, closed together.
 */
export class RedisConnections {
  readonly #opened: Redis[] = [];
  #shared: Redis | undefined;

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
  ) {}

  /** Whether the service uses Redis at all (the receiver does not), for /readyz. */
  get used(): boolean {
    return this.#opened.length > 0;
  }

  /**
   * The shared client fails a command after one reconnect attempt, so work arriving while Redis is
   * away is retried by its caller instead of hanging.
   */
  shared(): Redis {
    this.#shared ??= this.#open({ maxRetriesPerRequest: 1 });
    return this.#shared;
  }

  /** For the stage runner: the worker's connection must retry forever (BullMQ's blocking commands). */
  forRole(role: RedisRole): Redis {
    return role === 'worker' ? this.#open({ maxRetriesPerRequest: null }) : this.shared();
  }

  async ping(): Promise<void> {
    try {
      await this.shared().ping();
    } catch (err) {
      throw new AppError('GITOPS_QUEUE_UNAVAILABLE', `Redis did not answer: ${(err as Error).message}`, {
        retryable: true,
        statusCode: 503,
        cause: err,
      });
    }
  }

  close(): void {
    for (const connection of this.#opened.splice(0)) connection.disconnect();
    this.#shared = undefined;
  }

  #open(options: { maxRetriesPerRequest: number | null }): Redis {
    const connection = new Redis(this.url, options);
    // Without a listener ioredis prints every reconnect failure as an unhandled error event.
    connection.on('error', (err) => this.logger.warn({ err }, 'Redis connection error'));
    this.#opened.push(connection);
    return connection;
  }
}
