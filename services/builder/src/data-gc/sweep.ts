import { join } from 'node:path';
import { type RemovalOutcome, leasedEntries, overlaps, pruneLeftovers, removeUnlessInUse } from '@gitops/fs';
import { type AreaName, DATA_AREAS, listEntries } from './areas.js';
import { measure } from './measure.js';
import { type EntryFacts, type Removal, type RetentionPolicy, selectRemovals } from './select.js';

export interface SweepOptions {
  root: string;
  policy: Omit<RetentionPolicy, 'now'>;
  /** Called for an entry that could not be removed (it is kept, and tried again next sweep). */
  onError?: (err: unknown, entry: EntryFacts) => void;
}

export interface SweepReport {
  /** Bytes per area once the sweep is done. */
  held: Record<AreaName, number>;
  removed: { area: AreaName; path: string; bytes: number; reason: Removal['reason'] }[];
  /** Over the budget with only entries in use left to remove. */
  overBudgetBytes: number;
}

/** Every entry of every area, its size, last use, and whether a live lease covers it. */
async function scan(root: string): Promise<EntryFacts[]> {
  const leased = await leasedEntries(root);
  const seen = new Set<string>();
  const facts: EntryFacts[] = [];
  for (const area of DATA_AREAS) {
    for (const path of await listEntries(root, area)) {
      const measured = await measure(join(root, path), area.usedAt, seen);
      if (!measured) continue;
      const inUse = leased.some((lease) => overlaps(lease, path));
      facts.push({ area: area.name, path, ...measured, inUse });
    }
  }
  return facts;
}

function heldByArea(facts: Iterable<EntryFacts>): Record<AreaName, number> {
  const held = Object.fromEntries(DATA_AREAS.map((a) => [a.name, 0])) as Record<AreaName, number>;
  for (const entry of facts) held[entry.area] += entry.bytes;
  return held;
}

/**
 * One sweep: clear what dead processes left, measure, select, remove. An entry that turns out to be
 * in use when its removal is attempted (leased since the scan) stays, and the selection is made again
 * without it, so the budget is still met from the others. Entries another sweeper removes meanwhile
 * count as gone for the budget, so concurrent sweeps of several replicas do not remove twice as much.
 */
export async function sweep(options: SweepOptions): Promise<SweepReport> {
  const { root } = options;
  await pruneLeftovers(root);
  const remaining = new Set(await scan(root));
  const removed: SweepReport['removed'] = [];
  for (;;) {
    const selection = selectRemovals([...remaining], { ...options.policy, now: Date.now() });
    let kept = false;
    for (const { entry, reason } of selection.remove) {
      const outcome = await removeUnlessInUse(root, entry.path).catch((err): RemovalOutcome => {
        options.onError?.(err, entry);
        return 'in-use';
      });
      if (outcome === 'in-use') {
        entry.inUse = true;
        kept = true;
        continue;
      }
      remaining.delete(entry);
      if (outcome === 'removed')
        removed.push({ area: entry.area, path: entry.path, bytes: entry.bytes, reason });
    }
    if (!kept) return { held: heldByArea(remaining), removed, overBudgetBytes: selection.overBudgetBytes };
  }
}
