import { readFileSync } from 'node:fs';
import { ConfigError, redactUrls } from '@gitops/config';
import { AppError } from '@gitops/errors';
import type { RedisRole } from '@gitops/queue';
import type { Logger } from '@gitops/telemetry';
import { Redis, type RedisOptions } from 'ioredis';

/** REDIS_URL (its user and password included, as ioredis reads them) and REDIS_CA. */
export interface RedisSettings {
  url: string;
  /** A CA certificate file for a `rediss://` URL, read once at start. */
  caFile?: string | undefined;
}

function tlsOptions(settings: RedisSettings): Pick<RedisOptions, 'tls'> {
  if (!settings.caFile) return {};
  if (!settings.url.startsWith('rediss://')) {
    throw new ConfigError([{ variable: 'REDIS_CA', problem: 'needs a rediss:// REDIS_URL (TLS)' }]);
  }
  try {
    return { tls: { ca: readFileSync(settings.caFile) } };
  } catch (err) {
    throw new ConfigError([{ variable: 'REDIS_CA', problem: `cannot be read (${(err as Error).message})` }]);
  }
}

/**
 * The one owner of a service's Redis connections: the shared client (stage producer, supersede keys,
 * build numbers) and the stage worker's blocking connection. Opened on first use, closed together.
 */
export class RedisConnections {
  readonly #opened: Redis[] = [];
  readonly #tls: Pick<RedisOptions, 'tls'>;
  #shared: Redis | undefined;

  constructor(
    private readonly settings: RedisSettings,
    private readonly logger: Logger,
  ) {
    this.#tls = tlsOptions(settings);
  }

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
      const message = `Redis at ${redactUrls(this.settings.url)} did not answer: ${(err as Error).message}`;
      throw new AppError('GITOPS_QUEUE_UNAVAILABLE', message, {
        retryable: true,
        statusCode: 503,
        cause: err,
      });
    }
  }

  /**
   * For the start: a Redis that refuses REDIS_URL's credentials stops the service with one line
   * (retrying cannot help), while one that is merely down is waited for, as at any other time.
   */
  async checkCredentials(): Promise<void> {
    try {
      await this.shared().ping();
    } catch (err) {
      const message = (err as Error).message;
      if (!/^(WRONGPASS|NOAUTH|NOPERM)/.test(message)) return;
      throw new AppError(
        'GITOPS_QUEUE_AUTH_REFUSED',
        `Redis at ${redactUrls(this.settings.url)} (REDIS_URL) refused the credentials: ${message}`,
      );
    }
  }

  close(): void {
    for (const connection of this.#opened.splice(0)) connection.disconnect();
    this.#shared = undefined;
  }

  #open(options: { maxRetriesPerRequest: number | null }): Redis {
    const connection = new Redis(this.settings.url, { ...options, ...this.#tls });
    // Without a listener ioredis prints every reconnect failure as an unhandled error event. A
    // refused password shows here (WRONGPASS): the logger redacts the AUTH command's arguments.
    const redis = redactUrls(this.settings.url);
    connection.on('error', (err) => this.logger.warn({ err, redis }, 'Redis connection error'));
    this.#opened.push(connection);
    return connection;
  }
}
