const SUFFIX: Record<string, number> = {
  '': 1,
  m: 1e-3,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  Ki: 2 ** 10,
  Mi: 2 ** 20,
  Gi: 2 ** 30,
  Ti: 2 ** 40,
};
const QUANTITY = /^([0-9]+(?:\.[0-9]+)?)(m|k|M|G|T|Ki|Mi|Gi|Ti)?$/;

/** A Kubernetes quantity's value (`500m` = 0.5, `1Gi` = 2^30), or undefined for any other text. */
export function quantityValue(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return undefined;
  const match = QUANTITY.exec(value);
  return match ? Number(match[1]) * SUFFIX[match[2] ?? '']! : undefined;
}

/**
 * Whether two leaf values mean the same to the API server: equal, or the same number written two
 * ways (`cpu: 0.5` in Git is `500m` live, a port `"80"` is `80`), the commonest source of diff noise.
 */
export function sameLeaf(desired: unknown, live: unknown): boolean {
  if (desired === live) return true;
  const a = quantityValue(desired);
  const b = quantityValue(live);
  return a !== undefined && b !== undefined && Math.abs(a - b) < 1e-9 * Math.max(1, Math.abs(a));
}
