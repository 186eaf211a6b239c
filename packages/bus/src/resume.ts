import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@gitops/telemetry';

const RESUME_DELAY_MS = 1000;

export interface ResumeLoop {
  signal: AbortSignal;
  isClosed(): boolean;
  /** Re-creates the durable before every pass but the first (it may have been deleted). */
  ensure(): Promise<void>;
  /** One consume pass: returns or throws when the iterator ends. */
  consume(): Promise<void>;
  logger: Logger;
  what: string;
}

/**
 * consume() itself resumes across reconnects; this loop covers what ends it (a deleted consumer, a
 * server error), pausing a second between passes, until stopped or the connection is closed.
 */
export async function consumeResuming(loop: ResumeLoop): Promise<void> {
  const { signal } = loop;
  let first = true;
  while (!signal.aborted && !loop.isClosed()) {
    try {
      if (!first) await loop.ensure();
      first = false;
      await loop.consume();
    } catch (err) {
      if (!signal.aborted) loop.logger.warn({ err }, `${loop.what} interrupted; resuming`);
    }
    await sleep(RESUME_DELAY_MS, undefined, { signal }).catch(() => undefined);
  }
}
