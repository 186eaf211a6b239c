import type { Redis } from 'ioredis';
import type { BuildNumbers } from '../ports.js';

// Atomic in Redis: the pipeline's number if it has one, else the next of the application's counter,
// remembered for the pipeline, so a retried or replayed push gets the number its first try got.
const ALLOCATE = `
local n = redis.call('GET', KEYS[2])
if n then return tonumber(n) end
n = redis.call('INCR', KEYS[1])
redis.call('SET', KEYS[2], n, 'EX', ARGV[1])
return n`;

/** A pipeline's number outlives any retry or replay of its events (the stream keeps them 30 days). */
const PIPELINE_TTL_SECONDS = 90 * 86_400;

/**
 * Build numbers kept in Redis: `gitops:build-number:{<app>}` counts, `…:<pipelineId>` remembers. The
 * braces keep both keys of an application in one Redis Cluster slot, which a script needs.
 */
export class RedisBuildNumbers implements BuildNumbers {
  constructor(
    private readonly redis: Redis,
    private readonly ttlSeconds = PIPELINE_TTL_SECONDS,
  ) {}

  async allocate(app: string, pipelineId: string): Promise<number> {
    const counter = `gitops:build-number:{${app}}`;
    const n = await this.redis.eval(ALLOCATE, 2, counter, `${counter}:${pipelineId}`, this.ttlSeconds);
    return Number(n);
  }
}
