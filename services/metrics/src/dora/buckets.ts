/**
 * DORA performance levels (docs/metrics-service.md cites the sources): Accelerate State of DevOps
 * 2023 and 2024 (dora.dev). Thresholds are the upper bounds of each cluster.
 */
export type Level = 'elite' | 'high' | 'medium' | 'low';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const MONTH = 30 * DAY;

/** Deployments per day: on demand (daily or more), weekly to daily, monthly to weekly, less. */
export const frequencyLevel = (perDay: number): Level =>
  perDay >= 1 ? 'elite' : perDay >= 1 / 7 ? 'high' : perDay >= 1 / 30 ? 'medium' : 'low';

/** Commit to deploy: under a day, a week, a month, more. */
export const leadTimeLevel = (ms: number): Level =>
  ms < DAY ? 'elite' : ms < WEEK ? 'high' : ms < MONTH ? 'medium' : 'low';

/** Change failure rate: 5 %, 10 %, 15 %, more (2023 report; 2024's clusters are not ordered). */
export const failureRateLevel = (rate: number): Level =>
  rate <= 0.05 ? 'elite' : rate <= 0.1 ? 'high' : rate <= 0.15 ? 'medium' : 'low';

/** Failed deployment recovery time: under an hour, a day, a week, more. */
export const recoveryLevel = (ms: number): Level =>
  ms < HOUR ? 'elite' : ms < DAY ? 'high' : ms < WEEK ? 'medium' : 'low';
