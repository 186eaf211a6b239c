import { describe, expect, it } from 'vitest';
import type { AreaName } from './areas.js';
import { type EntryFacts, selectRemovals } from './select.js';
import { HOUR, LIMITS } from './test/limits.js';

const NOW = 1_000 * HOUR;

/** `area:path:bytes:hoursSinceLastUse`, with `!` at the end for an entry in use. */
function entry(spec: string): EntryFacts {
  const [area, path, bytes, hours] = spec.replace(/!$/, '').split(':');
  return {
    area: area as AreaName,
    path: path!,
    bytes: Number(bytes),
    lastUsedMs: NOW - Number(hours) * HOUR,
    inUse: spec.endsWith('!'),
  };
}

interface Case {
  title: string;
  entries: string[];
  maxBytes: number;
  /** `path:reason`, in removal order. */
  removed: string[];
  overBudget?: number;
}

const cases: Case[] = [
  {
    title: 'removes what is past its area limit and keeps the rest when under budget',
    entries: ['layouts:a:10:25', 'layouts:b:10:23', 'logs:c:10:400', 'logs:d:10:300'],
    maxBytes: 1000,
    removed: ['a:age', 'c:age'],
  },
  {
    title: 'removes a workspace no build holds past its limit, and keeps one a build holds',
    entries: ['workspaces:w1:5:2', 'workspaces:w2:5:2!'],
    maxBytes: 1000,
    removed: ['w1:age'],
  },
  {
    title: 'keeps an entry in use however old it is',
    entries: ['mirrors:m:10:1000!', 'results:r:1:100'],
    maxBytes: 0,
    removed: [],
  },
  {
    title: 'over budget, removes the least recently used entries first, across areas, until under it',
    entries: ['layouts:new:40:1', 'mirrors:old:30:100', 'logs:mid:20:10', 'cache:older:20:50'],
    maxBytes: 60,
    removed: ['old:budget', 'older:budget'],
  },
  {
    title: 'over budget, skips entries in use and takes the next least recently used',
    entries: ['layouts:a:50:20!', 'layouts:b:30:10', 'layouts:c:30:5'],
    maxBytes: 80,
    removed: ['b:budget'],
  },
  {
    title: 'counts what expired toward the budget before removing anything for it',
    entries: ['layouts:expired:50:30', 'layouts:b:30:10', 'layouts:c:30:5'],
    maxBytes: 60,
    removed: ['expired:age'],
  },
  {
    title: 'reports what stays over budget when only entries in use are left',
    entries: ['workspaces:w:70:0.5!', 'layouts:l:40:2!', 'logs:x:10:1'],
    maxBytes: 60,
    removed: ['x:budget'],
    overBudget: 50,
  },
  {
    title: 'has no budget when the limit is 0',
    entries: ['layouts:a:1000000:1', 'logs:b:1000000:2'],
    maxBytes: 0,
    removed: [],
  },
  {
    title: 'breaks ties of last use by path, so that replicas pick the same entries',
    entries: ['logs:z:10:5', 'logs:a:10:5', 'logs:m:10:5'],
    maxBytes: 15,
    removed: ['a:budget', 'm:budget'],
  },
];

describe('selectRemovals', () => {
  it.each(cases)('$title', ({ entries, maxBytes, removed, overBudget }) => {
    const selection = selectRemovals(entries.map(entry), { now: NOW, maxBytes, maxAgeMs: LIMITS });
    expect(selection.remove.map((r) => `${r.entry.path}:${r.reason}`)).toEqual(removed);
    expect(selection.overBudgetBytes).toBe(overBudget ?? 0);
  });
});
