import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { jsonTextBytes, truncateText } from './text.js';

const MARKER = /…\[truncated (\d+) bytes\]$/;
const droppedBytes = (text: string) => Number(MARKER.exec(text)?.[1]);

describe('truncateText', () => {
  it('returns text within the limit unchanged', () => {
    expect(truncateText('Add the greeting\n', 64)).toBe('Add the greeting\n');
    expect(truncateText('x'.repeat(64), 64)).toBe('x'.repeat(64));
  });

  it('cuts a 2 MiB message to the limit, saying how many bytes it dropped', () => {
    const message = `Subject\n\n${'y'.repeat(2 * 1024 * 1024)}`;
    const cut = truncateText(message, 16_384);
    expect(jsonTextBytes(cut)).toBeLessThanOrEqual(16_384);
    expect(cut.startsWith('Subject\n\nyyy')).toBe(true);
    const kept = cut.replace(MARKER, '');
    expect(droppedBytes(cut)).toBe(Buffer.byteLength(message) - Buffer.byteLength(kept));
  });

  it('counts JSON escapes, so control characters cannot blow the limit up sixfold', () => {
    const cut = truncateText('\u0001'.repeat(10_000), 1000);
    expect(jsonTextBytes(cut)).toBeLessThanOrEqual(1000);
    expect(cut).toMatch(MARKER);
  });

  it('never splits a character in two', () => {
    const cut = truncateText('🙂'.repeat(1000), 300);
    const kept = cut.replace(MARKER, '');
    expect(kept).toBe('🙂'.repeat(kept.length / 2));
    expect(Buffer.byteLength(kept) + droppedBytes(cut)).toBe(4000);
    expect(jsonTextBytes(cut)).toBeLessThanOrEqual(300);
  });
});
