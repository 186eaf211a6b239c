import type { AreaName } from '../areas.js';

export const HOUR = 3_600_000;

/** Age limits per area for the collector's tests (the shape of the GITOPS_DATA_*_MAX_AGE defaults). */
export const LIMITS: Record<AreaName, number> = {
  workspaces: HOUR,
  layouts: 24 * HOUR,
  logs: 14 * 24 * HOUR,
  results: 30 * 24 * HOUR,
  mirrors: 7 * 24 * HOUR,
  cache: 7 * 24 * HOUR,
  buildah: 7 * 24 * HOUR,
};
