import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

const SHA256_HEX = /^[0-9a-f]{64}$/i;

export function hmacSha256Hex(secret: string, body: Buffer | string): string {
  return createHmac('sha256', secret).update(body).digest('hex');
}

/**
 * Constant-time string equality. Both sides are hashed first, so inputs of any length compare in
 * the same time and `timingSafeEqual` never sees buffers of different lengths (where it throws).
 */
export function safeEqual(a: string, b: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/**
 * Whether `header` is `<prefix><hex HMAC-SHA256 of payload under secret>`. False for a missing or
 * malformed header, and for an empty secret: an HMAC keyed by nothing proves nothing.
 */
export function hmacHeaderMatches(
  header: string | undefined,
  prefix: string,
  secret: string,
  payload: Buffer | string,
): boolean {
  if (secret === '' || header === undefined || !header.startsWith(prefix)) return false;
  const hex = header.slice(prefix.length).trim();
  if (!SHA256_HEX.test(hex)) return false;
  return safeEqual(hex.toLowerCase(), hmacSha256Hex(secret, payload));
}
