import type { Redis } from 'ioredis';
import type { BuildCounter } from '../ports.js';

// Atomic in Redis, so replicas allocating at once never share a number: the pipeline's number if it has
// one; else the number the registry recorded for it, or the next of the application's counter. The
// counter is first raised to the highest number in the registry (ARGV[2]), which re-seeds it after Redis
// lost it and catches it up when it is behind (a restored snapshot).
const CLAIM = `
local n = redis.call('GET', KEYS[2])
if n then return tonumber(n) end
local floor = math.max(tonumber(ARGV[2]), tonumber(ARGV[3]))
if tonumber(redis.call('GET', KEYS[1]) or '0') < floor then redis.call('SET', KEYS[1], floor) end
n = tonumber(ARGV[3])
if n == 0 then n = redis.call('INCR', KEYS[1]) end
redis.call('SET', KEYS[2], n, 'EX', ARGV[1])
return n`;

/** A pipeline's number outlives any retry or replay of its events (the stream keeps them 30 days). */
const PIPELINE_TTL_SECONDS = 90 * 86_400;

/**
 * Build counters kept in Redis: `gitops:build-number:{<app>}` counts, `…:<pipelineId>` remembers. The
 * braces keep both keys of an application in one Redis Cluster slot, which a script needs.
 */
export class RedisBuildCounter implements BuildCounter {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = PIPELINE_TTL_SECONDS,
  ) {}

  async recall(app: string, pipelineId: string): Promise<number | undefined> {
    const n = await this.redis.get(this.memo(app, pipelineId));
    return n === null ? undefined : Number(n);
  }

  async claim(app: string, pipelineId: string, found: { floor: number; recorded?: number }): Promise<number> {
    const keys = [this.counter(app), this.memo(app, pipelineId)];
    const n = await this.redis.eval(CLAIM, 2, ...keys, this.ttlSeconds, found.floor, found.recorded ?? 0);
    return Number(n);
  }

  private counter = (app: string) => `gitops:build-number:{${app}}`;
  private memo = (app: string, pipelineId: string) => `${this.counter(app)}:${pipelineId}`;
}
