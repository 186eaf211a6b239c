import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Redis } from 'ioredis';
import type { RepoLock } from '../ports.js';

// Only the holder (its token) may extend or release the lock.
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;
const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;

export interface LockOptions {
  /** A holder that stops renewing (a dead process) loses the lock after this long. */
  ttlMs: number;
  /** How often a waiting replica asks again (jittered). */
  pollMs: number;
}

/**
 * A lock per key in Redis (`gitops:config-updater:lock:<key>`), renewed while held. It only keeps
 * replicas from racing each other for nothing: a writer that lost it anyway (Redis failed over, the
 * process paused past the TTL) still cannot lose an update, since git refuses a non-fast-forward push.
 */
export class RedisRepoLock implements RepoLock {
  constructor(
    private readonly redis: Redis,
    private readonly options: LockOptions = { ttlMs: 30_000, pollMs: 25 },
  ) {}

  async hold<T>(key: string, work: () => Promise<T>): Promise<T> {
    const name = `gitops:config-updater:lock:${key}`;
    const token = randomUUID();
    const { ttlMs, pollMs } = this.options;
    while ((await this.redis.set(name, token, 'PX', ttlMs, 'NX')) !== 'OK') {
      await sleep(pollMs * (0.5 + Math.random()));
    }
    const renew = setInterval(() => {
      this.redis.eval(EXTEND, 1, name, token, ttlMs).catch(() => undefined);
    }, ttlMs / 3);
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, name, token).catch(() => undefined);
    }
  }
}
