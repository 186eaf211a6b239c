import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { ObjectRef } from '../manifests/objects.js';
import type { EnvironmentStatus, StateStore } from '../ports.js';

const LOCK_TTL_MS = 30_000;

// Deletes the lock only while it is still ours.
const RELEASE = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('del', KEYS[1]) else return 0 end`;
const RENEW = `if redis.call('get', KEYS[1]) == ARGV[1] then return redis.call('pexpire', KEYS[1], ARGV[2]) else return 0 end`;

/** Status, inventory, sync tickets and the per-environment lock in Redis, shared by replicas. */
export class RedisState implements StateStore {
  constructor(
    private readonly redis: Redis,
    private readonly prefix = 'gitops:reconciler',
    private readonly pollMs = 200,
  ) {}

  #key(kind: string, app: string, environment: string) {
    return `${this.prefix}:${kind}:${app}:${environment}`;
  }

  async status(app: string, environment: string): Promise<EnvironmentStatus | undefined> {
    const text = await this.redis.get(this.#key('status', app, environment));
    return text ? (JSON.parse(text) as EnvironmentStatus) : undefined;
  }

  async saveStatus(app: string, status: EnvironmentStatus): Promise<void> {
    await this.redis.set(this.#key('status', app, status.environment), JSON.stringify(status));
  }

  async inventory(app: string, environment: string): Promise<ObjectRef[]> {
    const text = await this.redis.get(this.#key('inventory', app, environment));
    return text ? (JSON.parse(text) as ObjectRef[]) : [];
  }

  async saveInventory(app: string, environment: string, refs: ObjectRef[]): Promise<void> {
    await this.redis.set(this.#key('inventory', app, environment), JSON.stringify(refs));
  }

  ticket(app: string, environment: string): Promise<number> {
    return this.redis.incr(this.#key('ticket', app, environment));
  }

  async latestTicket(app: string, environment: string): Promise<number> {
    return Number((await this.redis.get(this.#key('ticket', app, environment))) ?? 0);
  }

  async withLock<T>(
    app: string,
    environment: string,
    work: () => Promise<T>,
    isSuperseded: () => Promise<boolean>,
  ): Promise<T | 'superseded'> {
    const key = this.#key('lock', app, environment);
    const token = randomUUID();
    for (;;) {
      if (await isSuperseded()) return 'superseded';
      if ((await this.redis.set(key, token, 'PX', LOCK_TTL_MS, 'NX')) === 'OK') break;
      await new Promise((resolve) => setTimeout(resolve, this.pollMs));
    }
    const renew = setInterval(() => {
      this.redis.eval(RENEW, 1, key, token, String(LOCK_TTL_MS)).catch(() => undefined);
    }, LOCK_TTL_MS / 3);
    try {
      return await work();
    } finally {
      clearInterval(renew);
      await this.redis.eval(RELEASE, 1, key, token).catch(() => undefined);
    }
  }
}
