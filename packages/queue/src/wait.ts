import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Resolves true once `running` is empty, false after `timeoutMs`. The set is read live: a job that
 * started while waiting is waited for too.
 */
export async function waitForIdle(
  running: ReadonlySet<Promise<unknown>>,
  timeoutMs: number,
): Promise<boolean> {
  const deadline = new AbortController();
  const expired = sleep(timeoutMs, false, { signal: deadline.signal }).catch(() => false);
  try {
    while (running.size > 0) {
      const settled = await Promise.race([expired, Promise.allSettled([...running]).then(() => true)]);
      if (!settled) return false;
    }
    return true;
  } finally {
    deadline.abort();
  }
}

/** Resolves true once `work` settles, false after `timeoutMs` (the work goes on, unwatched). */
export async function settlesWithin(work: Promise<unknown>, timeoutMs: number): Promise<boolean> {
  const deadline = new AbortController();
  const expired = sleep(timeoutMs, false, { signal: deadline.signal }).catch(() => false);
  try {
    return await Promise.race([expired, work.then(() => true)]);
  } finally {
    deadline.abort();
  }
}
