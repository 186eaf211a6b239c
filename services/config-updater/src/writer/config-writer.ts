import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Application, Environment } from '@gitops/config';
import { describeError } from '@gitops/errors';
import { type GitAccess, PushRejected } from '@gitops/git';
import type { Logger } from '@gitops/telemetry';
import { type CommitSettings, GitWorkspace } from '../adapters/git-workspace.js';
import { currentImage } from '../edit/config-dir.js';
import { pushFailed } from '../errors.js';
import type { Bump, BumpResult, ConfigWriter, EnvironmentState, RepoLock } from '../ports.js';
import { raceBackoff } from './backoff.js';
import { type Pending, type Round, type RoundResult, takeRound } from './rounds.js';
import { writeRound } from './write-round.js';

export interface WriterOptions {
  /** Where the work clones live: `<dataDir>/config-updater/work/<repo hash>-<worker>`. */
  dataDir: string;
  /** Tells this process's clones from those of other replicas sharing the data directory (the host name). */
  worker: string;
  lock: RepoLock;
  /** git's environment with the config repositories' credentials, resolved per round. */
  access(): Promise<GitAccess>;
  commit: CommitSettings;
  /** Attempts of one round whose push lost the race to another writer. */
  pushAttempts: number;
  /** The first delay after a lost race (doubling, jittered). */
  raceDelayMs: number;
  logger: Logger;
  /** Called with each push that lost the race to another writer (metrics). */
  onRace?(): void;
  /** Called with each commit pushed and the number of bumps it carries (metrics). */
  onPushed?(bumps: number): void;
}

/**
 * A push another writer got in first: the branch moved on (non-fast-forward), or the server was
 * updating the ref for the other push at that very moment (`failed to update ref`, `cannot lock ref`).
 */
const lostRace = (err: unknown) =>
  err instanceof PushRejected &&
  (err.reason === 'non-fast-forward' ||
    /failed to update ref|cannot lock ref|unable to lock/i.test(err.detail));

// Rounds one lock holder writes before letting other replicas have the repository.
const ROUNDS_PER_HOLD = 8;

/**
 * The config writer: one per process. Bumps for one config repository queue up here while its
 * writer works; each round takes every queued bump of one branch, writes them from the remote's
 * head, and pushes once, under the repository's lock (one writer per repository across replicas,
 * repositories in parallel). A push that lost the race starts the round again from the new head.
 */
export class RepoWriter implements ConfigWriter {
  readonly #pending = new Map<string, Pending[]>();
  readonly #draining = new Set<string>();
  /** Per repository: this process's use of its work clone, one at a time. */
  readonly #tail = new Map<string, Promise<unknown>>();

  constructor(private readonly options: WriterOptions) {}

  async write(bump: Bump): Promise<BumpResult> {
    const key = bump.app.config.repoKey;
    const started = performance.now();
    const result = await new Promise<RoundResult>((resolve, reject) => {
      const queue = this.#pending.get(key) ?? [];
      queue.push({ bump, resolve, reject });
      this.#pending.set(key, queue);
      this.#drain(key);
    });
    return { ...result, durationMs: Math.round(performance.now() - started) };
  }

  read(app: Application, environment: Environment, ref?: string): Promise<EnvironmentState> {
    return this.#exclusive(app.config.repoKey, async () => {
      const ws = this.#workspace(app);
      const access = await this.options.access();
      const head = await ws.sync(environment.branch, access, app.config.branch);
      if (ref && ref !== head) await ws.checkout(ref, access);
      const env = { repoDir: ws.dir, path: environment.path, helm: app.config.helm };
      const image = await currentImage(env, app.image.repository);
      const sourceCommit = await ws.sourceCommitOf(ref ?? head, environment.path, access);
      return {
        configCommit: ref ?? head,
        ...(image ? { image } : {}),
        ...(sourceCommit ? { sourceCommit } : {}),
      };
    });
  }

  #drain(key: string): void {
    if (this.#draining.has(key)) return;
    this.#draining.add(key);
    const pending = this.#pending.get(key)!;
    const run = async () => {
      while (pending.length > 0) {
        await this.#exclusive(key, () => this.options.lock.hold(key, () => this.#rounds(pending))).catch(
          (err) => {
            // The lock could not be had (Redis away): every waiting bump fails, and its job retries.
            for (const item of pending.splice(0)) item.reject(err);
          },
        );
      }
    };
    run().finally(() => {
      this.#draining.delete(key);
      if (pending.length > 0) this.#drain(key);
    });
  }

  async #rounds(pending: Pending[]): Promise<void> {
    for (let n = 0; n < ROUNDS_PER_HOLD; n++) {
      const round = takeRound(pending);
      if (!round) return;
      await this.#round(round).catch((err) => {
        for (const item of round.groups.flat()) item.reject(err);
      });
    }
  }

  async #round(round: Round): Promise<void> {
    const { app } = round.groups[0]![0]!.bump;
    const ws = this.#workspace(app);
    const access = await this.options.access();
    const { pushAttempts, raceDelayMs, logger } = this.options;
    for (let attempt = 1; ; attempt++) {
      try {
        const settle = await writeRound(ws, round, access);
        this.options.onPushed?.(round.groups.flat().length);
        settle();
        return;
      } catch (err) {
        if (!lostRace(err)) throw err;
        this.options.onRace?.();
        if (attempt >= pushAttempts) throw pushFailed(round.branch, attempt, describeError(err));
        logger.debug(
          { branch: round.branch, attempt },
          'another writer pushed first; starting again from its head',
        );
        await sleep(raceBackoff(attempt, raceDelayMs));
      }
    }
  }

  #workspace(app: Application): GitWorkspace {
    const hash = createHash('sha256').update(app.config.repoKey).digest('hex').slice(0, 16);
    const dir = join(this.options.dataDir, 'config-updater', 'work', `${hash}-${this.options.worker}`);
    return new GitWorkspace(dir, app.config.repoURL, this.options.commit);
  }

  /** Runs `work` after every earlier use of the repository's work clone in this process. */
  #exclusive<T>(key: string, work: () => Promise<T>): Promise<T> {
    const previous = this.#tail.get(key) ?? Promise.resolve();
    const next = previous.then(work, work);
    const tail = next.catch(() => undefined);
    this.#tail.set(key, tail);
    tail.then(() => {
      if (this.#tail.get(key) === tail) this.#tail.delete(key);
    });
    return next;
  }
}
