/** Settings that keep retries and stalled-job recovery within a test's seconds. */
export const FAST = { attempts: 3, backoffMs: 10, lockDurationMs: 1000, stalledIntervalMs: 500 } as const;
