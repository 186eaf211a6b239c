/** Settings that keep retries, stalled-job recovery and the held messages' checks within a test's seconds. */
export const FAST = {
  attempts: 3,
  backoffMs: 10,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
  waiter: { pollMs: 20, checkMs: 300 },
} as const;
