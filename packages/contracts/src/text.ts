import { Buffer } from 'node:buffer';

/**
 * The longest strings a provider may put into source.received. Free text (`message`, names,
 * e-mail addresses) is cut to its limit in bytes of its JSON encoding (UTF-8, escapes included),
 * with a marker; identifiers (`ref`, `repoURL`, `deliveryId`, `before`) are refused past their limit
 * in characters, since a cut one would name something else. Together they keep the event under
 * 64 KiB, far below NATS's 1 MiB max_payload, whatever a git server sends (docs/events.md#sizes).
 * A string within N encoded bytes is within N characters, so each limit is also the schema's
 * `maxLength`.
 */
export const TEXT_LIMITS = {
  message: 16_384,
  personName: 256,
  personEmail: 256,
  ref: 1024,
  repoURL: 2048,
  deliveryId: 256,
  before: 128,
} as const;

/** The bytes `text` takes inside a JSON document: UTF-8, escapes included, quotes excluded. */
export const jsonTextBytes = (text: string): number => Buffer.byteLength(JSON.stringify(text)) - 2;

const marker = (droppedBytes: number) => `…[truncated ${droppedBytes} bytes]`;

/**
 * `text` unchanged when it takes at most `maxBytes` in JSON, else its longest start that fits
 * together with a marker saying how many UTF-8 bytes were cut (`…[truncated 2097152 bytes]`).
 */
export function truncateText(text: string, maxBytes: number): string {
  if (text.length <= maxBytes / 6 || jsonTextBytes(text) <= maxBytes) return text;
  const total = Buffer.byteLength(text);
  const budget = maxBytes - jsonTextBytes(marker(total));
  // Every UTF-16 unit takes at least one byte, so the start that fits is at most `budget` units long.
  let low = 0;
  let high = Math.max(0, Math.min(text.length, budget));
  while (low < high) {
    const middle = Math.ceil((low + high) / 2);
    if (jsonTextBytes(text.slice(0, middle)) <= budget) low = middle;
    else high = middle - 1;
  }
  // Never end on half of a surrogate pair.
  const end = low > 0 && /[\uD800-\uDBFF]/.test(text[low - 1]!) ? low - 1 : low;
  const kept = text.slice(0, end);
  return kept + marker(total - Buffer.byteLength(kept));
}
