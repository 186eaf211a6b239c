import type { Redis } from 'ioredis';
import type { PromotionState, QuarantineEntry, WaitingPromotion } from '../ports.js';

const QUARANTINE = 'gitops:config-updater:quarantine';
const waitingKey = (app: string) => `gitops:config-updater:waiting:${app}`;

// Clears the waiting promotion only if it is still the one approved (a newer one may have replaced it).
const CLEAR_IF = `local v = redis.call('HGET', KEYS[1], ARGV[1])
if v and cjson.decode(v).image == ARGV[2] then return redis.call('HDEL', KEYS[1], ARGV[1]) end
return 0`;

const parse = <T>(value: string | null | undefined): T | undefined =>
  value ? (JSON.parse(value) as T) : undefined;

/**
 * Quarantine and waiting promotions in Redis: a hash of quarantined digests, and a hash per
 * application of the promotion waiting for each environment. Production Redis runs with AOF
 * (docs/config-updater.md, "State").
 */
export class RedisPromotionState implements PromotionState {
  constructor(private readonly redis: Redis) {}

  async quarantine(entry: QuarantineEntry): Promise<void> {
    await this.redis.hset(QUARANTINE, entry.digest, JSON.stringify(entry));
  }

  async quarantined(digest: string): Promise<QuarantineEntry | undefined> {
    return parse(await this.redis.hget(QUARANTINE, digest));
  }

  async quarantineList(): Promise<QuarantineEntry[]> {
    const all = await this.redis.hvals(QUARANTINE);
    return all.map((value) => JSON.parse(value) as QuarantineEntry).sort((a, b) => a.at.localeCompare(b.at));
  }

  async release(digest: string): Promise<boolean> {
    return (await this.redis.hdel(QUARANTINE, digest)) > 0;
  }

  async wait(promotion: WaitingPromotion): Promise<void> {
    await this.redis.hset(waitingKey(promotion.app), promotion.to, JSON.stringify(promotion));
  }

  async waiting(app: string, environment: string): Promise<WaitingPromotion | undefined> {
    return parse(await this.redis.hget(waitingKey(app), environment));
  }

  async done(app: string, environment: string, image: string): Promise<void> {
    await this.redis.eval(CLEAR_IF, 1, waitingKey(app), environment, image);
  }
}
