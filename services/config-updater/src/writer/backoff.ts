/** The delay before attempt `attempt + 1` after a lost push race: doubling from `baseMs`, jittered ±50 %, at most 2 s. */
export const raceBackoff = (attempt: number, baseMs: number, random = Math.random) =>
  Math.min(2000, baseMs * 2 ** (attempt - 1)) * (0.5 + random());
