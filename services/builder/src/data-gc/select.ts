import type { AreaName } from './areas.js';

/** One entry of the data directory as a sweep found it. */
export interface EntryFacts {
  area: AreaName;
  /** Relative to the data directory. */
  path: string;
  bytes: number;
  lastUsedMs: number;
  /** A live lease covers it: it is never removed. */
  inUse: boolean;
}

export interface RetentionPolicy {
  now: number;
  /** The size budget of the whole data directory; 0 for none. */
  maxBytes: number;
  /** An entry not used for this long is removed, whatever the budget. */
  maxAgeMs: Record<AreaName, number>;
}

export interface Removal {
  entry: EntryFacts;
  reason: 'age' | 'budget';
}

export interface Selection {
  /** Expired entries first, then the least recently used others until the budget is met. */
  remove: Removal[];
  /** What stays over the budget after those removals: only entries in use are left. */
  overBudgetBytes: number;
}

const sum = (entries: EntryFacts[]) => entries.reduce((total, e) => total + e.bytes, 0);

/** Oldest last use first; the path breaks ties so that sweepers of several replicas pick alike. */
const leastRecentlyUsed = (a: EntryFacts, b: EntryFacts) =>
  a.lastUsedMs - b.lastUsedMs || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);

/**
 * What a sweep removes: every entry not in use that is older than its area's age limit, then, while
 * the rest is over the budget, the least recently used entries not in use. Entries in use stay even
 * when the budget cannot be met without them.
 */
export function selectRemovals(entries: readonly EntryFacts[], policy: RetentionPolicy): Selection {
  const isExpired = (e: EntryFacts) => !e.inUse && policy.now - e.lastUsedMs >= policy.maxAgeMs[e.area];
  const expired = entries.filter(isExpired);
  const kept = entries.filter((e) => !isExpired(e));
  let excess = policy.maxBytes > 0 ? sum(kept) - policy.maxBytes : 0;
  const overBudget: EntryFacts[] = [];
  for (const entry of kept.filter((e) => !e.inUse).sort(leastRecentlyUsed)) {
    if (excess <= 0) break;
    overBudget.push(entry);
    excess -= entry.bytes;
  }
  return {
    remove: [
      ...expired.map((entry) => ({ entry, reason: 'age' as const })),
      ...overBudget.map((entry) => ({ entry, reason: 'budget' as const })),
    ],
    overBudgetBytes: Math.max(0, excess),
  };
}
