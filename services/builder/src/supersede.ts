import type { Redis } from 'ioredis';
import { BuildFailure } from './errors.js';

/** A pipeline's claim to be the newest build of its application and branch. */
export interface Claim {
  app: string;
  branch: string;
  pipelineId: string;
  /** When the push was received (ms): a later push is a newer build. */
  receivedAt: number;
}

/** Aborted, with a `superseded` BuildFailure, once a newer push of the same app and branch claims the key. */
export interface Lease {
  readonly signal: AbortSignal;
  release(): void;
}

export interface SupersedeCoordinator {
  claim(claim: Claim): Promise<Lease>;
}

// Sets the key unless it holds a newer claim; answers what the key holds afterwards. Atomic, so
// two replicas claiming at once agree on the newest.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then
  local at = tonumber(string.match(current, '^(%d+) '))
  if at and at > tonumber(ARGV[1]) then return current end
end
local value = ARGV[1] .. ' ' .. ARGV[2]
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return value`;

const parse = (value: string | null) => {
  const [at, pipelineId] = (value ?? '').split(' ');
  return { receivedAt: Number(at), pipelineId: pipelineId ?? '' };
};

export interface RedisSupersedeOptions {
  /** How often a running build looks for a newer claim (default 1 s). */
  pollMs?: number;
  /** How long a claim is remembered (default 7 days): an older event replayed within it is still superseded. */
  ttlMs?: number;
  onError?(err: unknown): void;
}

/**
 * Superseded builds across replicas: one Redis key per application and branch holds the newest
 * pipeline; each running build polls it and cancels itself once a newer pipeline holds it.
 * Polling rather than pub/sub: a missed message (a reconnect) would let an old build run on.
 */
export class RedisSupersede implements SupersedeCoordinator {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisSupersedeOptions = {},
  ) {}

  async claim(claim: Claim): Promise<Lease> {
    const key = `gitops:builder:newest:${claim.app}:${claim.branch}`;
    const ttl = this.options.ttlMs ?? 7 * 24 * 3_600_000;
    const holder = (await this.redis.eval(CLAIM, 1, key, claim.receivedAt, claim.pipelineId, ttl)) as string;
    const controller = new AbortController();
    const check = (value: string | null) => {
      const newest = parse(value);
      if (value === null || newest.pipelineId === claim.pipelineId || newest.receivedAt < claim.receivedAt)
        return;
      clearInterval(timer);
      const message = `superseded by pipeline ${newest.pipelineId}, a newer push to ${claim.branch}`;
      controller.abort(new BuildFailure(message, 'superseded'));
    };
    const timer = setInterval(() => {
      this.redis.get(key).then(check, (err) => this.options.onError?.(err));
    }, this.options.pollMs ?? 1000);
    timer.unref();
    check(holder);
    return { signal: controller.signal, release: () => clearInterval(timer) };
  }
}
