import { AppError } from '@gitops/errors';
import { Redis } from 'ioredis';
import type { RedisRole } from './stage-options.js';

/**
 * Connections for a stage. The worker's must retry forever (`maxRetriesPerRequest: null`, BullMQ's
 * rule for blocking commands); the producer's fails a command after one reconnect attempt, so an
 * event arriving while Redis is down is retried by the bus instead of holding its consumer.
 */
export function redisConnection(url: string | undefined, role: RedisRole): Redis {
  if (!url)
    throw new AppError('GITOPS_QUEUE_NO_REDIS', 'a stage runner needs redisUrl or a connection factory');
  return new Redis(url, { maxRetriesPerRequest: role === 'worker' ? null : 1 });
}
