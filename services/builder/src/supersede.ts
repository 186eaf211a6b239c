import type { GitopsEvent } from '@gitops/contracts';
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
  /**
   * Records a push as soon as its event is consumed, before its build is queued: older builds still
   * waiting in the queue then give way at their start, and a running one within a poll. Idempotent.
   */
  note(claim: Claim): Promise<void>;
  /** Claims the branch for a build that starts; its lease is aborted at once if a newer push is known. */
  claim(claim: Claim): Promise<Lease>;
}

/** The claim a `source.received` makes: its push's receive time orders pushes of a branch. */
export const claimOf = ({ data, time }: GitopsEvent<'source.received'>): Claim => ({
  app: data.app,
  branch: data.branch,
  pipelineId: data.pipelineId,
  receivedAt: Date.parse(time),
});

// Sets the key unless it holds another pipeline's claim at least as new; answers what the key holds
// afterwards. Atomic, so two replicas claiming at once agree on the newest; of two pushes received in
// the same millisecond the first claim wins, everywhere.
const CLAIM = `
local current = redis.call('GET', KEYS[1])
if current then
  local at, id = string.match(current, '^(%d+) (.*)$')
  if at and id ~= ARGV[2] and tonumber(at) >= tonumber(ARGV[1]) then return current end
end
local value = ARGV[1] .. ' ' .. ARGV[2]
redis.call('SET', KEYS[1], value, 'PX', ARGV[3])
return value`;

const parse = (value: string | null) => {
  const [at, pipelineId] = (value ?? '').split(' ');
  return { receivedAt: Number(at), pipelineId: pipelineId ?? '' };
};

/** Whether the key's value names another pipeline at least as new as `claim` (as CLAIM decides). */
function supersedes(value: string | null, claim: Claim): boolean {
  if (value === null) return false;
  const holder = parse(value);
  return holder.pipelineId !== claim.pipelineId && holder.receivedAt >= claim.receivedAt;
}

export interface RedisSupersedeOptions {
  /** How often a running build looks for a newer claim (default 1 s). */
  pollMs?: number;
  /** How long a claim is remembered (default 7 days): an older event replayed within it is still superseded. */
  ttlMs?: number;
  onError?(err: unknown): void;
}

/**
 * Superseded builds across replicas: one Redis key per application and branch holds the newest
 * pipeline, noted when its event is consumed and claimed again when its build starts; a build that
 * starts finds whether it is already superseded, and each running build polls the key and cancels
 * itself once a newer pipeline holds it. Polling rather than pub/sub: a missed message (a reconnect)
 * would let an old build run on.
 */
export class RedisSupersede implements SupersedeCoordinator {
  constructor(
    private readonly redis: Redis,
    private readonly options: RedisSupersedeOptions = {},
  ) {}

  async note(claim: Claim): Promise<void> {
    await this.#claimKey(claim);
  }

  async claim(claim: Claim): Promise<Lease> {
    const holder = await this.#claimKey(claim);
    const controller = new AbortController();
    const check = (value: string | null) => {
      if (!supersedes(value, claim)) return;
      clearInterval(timer);
      const message = `superseded by pipeline ${parse(value).pipelineId}, a newer push to ${claim.branch}`;
      controller.abort(new BuildFailure(message, 'superseded'));
    };
    const timer = setInterval(() => {
      this.redis.get(keyOf(claim)).then(check, (err) => this.options.onError?.(err));
    }, this.options.pollMs ?? 1000);
    timer.unref();
    check(holder);
    return { signal: controller.signal, release: () => clearInterval(timer) };
  }

  #claimKey(claim: Claim): Promise<string> {
    const ttl = this.options.ttlMs ?? 7 * 24 * 3_600_000;
    return this.redis.eval(
      CLAIM,
      1,
      keyOf(claim),
      claim.receivedAt,
      claim.pipelineId,
      ttl,
    ) as Promise<string>;
  }
}

const keyOf = (claim: Claim) => `gitops:builder:newest:${claim.app}:${claim.branch}`;
