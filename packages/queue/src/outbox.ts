import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { GitopsEvent } from '@gitops/contracts';
import type { Logger } from '@gitops/telemetry';

/** What could not be delivered while NATS was away: events in order, then the job's ledger entry. */
export interface OutboxEntry {
  events: GitopsEvent[];
  done?: { key: string; value: string };
}

// A claim older than this belongs to a replica that died while delivering it: take it over.
const STALE_CLAIM_MS = 60_000;
const CLAIMED = /\.claim-[^/]+$/;

/**
 * Results kept on disk (GITOPS_DATA_DIR/outbox/<service>) until NATS takes them, however long the
 * outage: a stage never turns work that succeeded into a failure because it could not say so.
 * Replicas sharing the directory deliver each entry once: a replica claims an entry by renaming it.
 */
export class Outbox {
  readonly #owner = `${hostname()}-${process.pid}`;
  #sequence = 0;

  constructor(
    readonly dir: string,
    private readonly logger: Logger,
  ) {}

  /** Stores an entry atomically (a torn file is never read); names sort in the order they were kept. */
  async keep(entry: OutboxEntry): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const name = `${Date.now().toString().padStart(15, '0')}-${String(++this.#sequence).padStart(6, '0')}-${randomUUID()}.json`;
    const tmp = join(this.dir, `.${name}.tmp`);
    await writeFile(tmp, JSON.stringify(entry));
    await rename(tmp, join(this.dir, name));
    this.logger.warn(
      { events: entry.events.map((e) => e.id) },
      'NATS unavailable: results kept in the outbox',
    );
  }

  /** Delivers every entry in order through `deliver`; stops at the first that fails (NATS still away). */
  async drain(deliver: (entry: OutboxEntry) => Promise<void>): Promise<number> {
    let delivered = 0;
    for (const name of await this.#pending()) {
      const claimed = await this.#claim(name);
      if (!claimed) continue;
      const entry = JSON.parse(await readFile(claimed, 'utf8')) as OutboxEntry;
      try {
        await deliver(entry);
      } catch (err) {
        await rename(claimed, join(this.dir, name)).catch(() => undefined);
        throw err;
      }
      await rm(claimed, { force: true });
      delivered++;
    }
    return delivered;
  }

  async #pending(): Promise<string[]> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const stale = await Promise.all(names.filter((n) => CLAIMED.test(n)).map((n) => this.#staleClaim(n)));
    return [
      ...names.filter((n) => n.endsWith('.json') && !n.startsWith('.')),
      ...stale.flatMap((n) => n ?? []),
    ].sort();
  }

  async #staleClaim(name: string): Promise<string | undefined> {
    const { mtimeMs } = await stat(join(this.dir, name)).catch(() => ({ mtimeMs: Date.now() }));
    if (Date.now() - mtimeMs < STALE_CLAIM_MS) return undefined;
    const original = name.replace(CLAIMED, '');
    return (await rename(join(this.dir, name), join(this.dir, original)).then(
      () => true,
      () => false,
    ))
      ? original
      : undefined;
  }

  /** Renames the entry to this replica's claim (another replica that renamed it first wins), dated now. */
  async #claim(name: string): Promise<string | undefined> {
    const claimed = join(this.dir, `${name}.claim-${this.#owner}`);
    try {
      await rename(join(this.dir, name), claimed);
    } catch {
      return undefined;
    }
    const now = new Date();
    await utimes(claimed, now, now);
    return claimed;
  }
}
