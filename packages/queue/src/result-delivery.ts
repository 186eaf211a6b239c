import type { Bus } from '@gitops/bus';
import type { GitopsEvent } from '@gitops/contracts';
import type { Logger } from '@gitops/telemetry';
import type { Outbox, OutboxEntry } from './outbox.js';

const busUnavailable = (err: unknown) => (err as { code?: string }).code === 'GITOPS_BUS_UNAVAILABLE';

/** The ledger key that says a stage's job finished, its results published. */
export const jobDoneKey = (queue: string, jobId: string) => `job.${queue}.${jobId}`;

/**
 * Delivers a stage's results: each event published once (a plain subscriber sees a replayed job's
 * results no second time), then the job's ledger entry. While NATS is away, the whole entry goes
 * to the outbox and is delivered once NATS is back; without an outbox the failure is thrown.
 */
export class ResultDelivery {
  constructor(
    private readonly bus: Bus,
    private readonly outbox: Outbox | undefined,
    private readonly logger: Logger,
  ) {}

  async deliver(entry: OutboxEntry): Promise<void> {
    try {
      await this.publish(entry);
    } catch (err) {
      if (!this.outbox || !busUnavailable(err)) throw err;
      await this.outbox.keep(entry);
    }
  }

  /** Publishes the entry now, or throws. */
  async publish(entry: OutboxEntry): Promise<void> {
    for (const event of entry.events) await this.bus.publish(event, { once: true });
    if (entry.done) await this.bus.ledger.put(entry.done.key, entry.done.value);
  }

  /** Whether a job's results were delivered already; undefined while NATS is away. */
  async finished(key: string): Promise<boolean | undefined> {
    try {
      return (await this.bus.ledger.get(key)) !== undefined;
    } catch (err) {
      this.logger.debug({ err }, 'ledger unavailable');
      return undefined;
    }
  }

  /** Publishes one event on a handler's behalf (e.g. build.started), through the outbox if need be. */
  publishEvent = (event: GitopsEvent): Promise<void> => this.deliver({ events: [event] });
}
