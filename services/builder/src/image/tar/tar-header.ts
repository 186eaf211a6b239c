/** One tar entry's metadata; owner and group are always 0 (root) and unnamed. */
export interface TarHeader {
  /** The path in the archive: no leading slash; directories end with `/`. */
  name: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits (0o644, 0o755, 0o777). */
  mode: number;
  /** Bytes of content that follow (files only). */
  size: number;
  /** Seconds since the epoch. */
  mtime: number;
  /** The symlink's target. */
  linkname?: string;
}

export const BLOCK = 512;
/** Two zero blocks end an archive. */
export const TAR_END = Buffer.alloc(2 * BLOCK);
const TYPE_FLAGS = { file: '0', dir: '5', symlink: '2', pax: 'x' } as const;
/** The largest size and mtime an 11-digit octal field holds. */
const MAX_OCTAL = 0o77777777777;

/** Zero bytes that pad `size` bytes of content to a whole block. */
export const padding = (size: number): Buffer => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

/**
 * The header block(s) for an entry: a ustar header, preceded by a PAX extended header (POSIX.1-2001)
 * when the name or link target does not fit ustar's fields or the size does not fit 11 octal digits.
 */
export function encodeHeader(entry: TarHeader): Buffer {
  const split = splitName(entry.name);
  const linkFits = Buffer.byteLength(entry.linkname ?? '') <= 100;
  const records: string[] = [];
  if (!split) records.push(paxRecord('path', entry.name));
  if (!linkFits) records.push(paxRecord('linkpath', entry.linkname ?? ''));
  if (entry.size > MAX_OCTAL) records.push(paxRecord('size', String(entry.size)));
  const ustar = ustarBlock(
    { ...entry, size: Math.min(entry.size, MAX_OCTAL) },
    split ?? { prefix: '', name: entry.name },
  );
  if (records.length === 0) return ustar;
  const body = Buffer.from(records.join(''));
  const paxName = `PaxHeaders/${entry.name.replace(/\/$/, '').split('/').pop() ?? ''}`;
  const pax = ustarBlock(
    { type: 'pax', mode: 0o644, size: body.length, mtime: entry.mtime },
    { prefix: '', name: paxName },
  );
  return Buffer.concat([pax, body, padding(body.length), ustar]);
}

/** `<length> <key>=<value>\n`, where the length counts its own digits. */
function paxRecord(key: string, value: string): string {
  const rest = Buffer.byteLength(` ${key}=${value}\n`);
  let length = rest + String(rest).length;
  if (String(length).length !== String(rest).length) length = rest + String(length).length;
  return `${length} ${key}=${value}\n`;
}

/** ustar keeps up to 155 bytes of directories in `prefix` and 100 bytes in `name`. */
function splitName(name: string): { prefix: string; name: string } | undefined {
  if (Buffer.byteLength(name) <= 100) return { prefix: '', name };
  for (let i = name.indexOf('/'); i > 0 && i < name.length - 1; i = name.indexOf('/', i + 1)) {
    const prefix = name.slice(0, i);
    const rest = name.slice(i + 1);
    if (Buffer.byteLength(prefix) <= 155 && Buffer.byteLength(rest) <= 100) return { prefix, name: rest };
  }
  return undefined;
}

type BlockFields = Omit<TarHeader, 'type' | 'name'> & { type: keyof typeof TYPE_FLAGS };

/** A ustar header block; a name too long for it is cut (a PAX `path` record before it has the whole). */
function ustarBlock(entry: BlockFields, name: { prefix: string; name: string }): Buffer {
  const block = Buffer.alloc(BLOCK);
  block.write(name.name, 0, 100);
  writeOctal(block, 100, 8, entry.mode);
  writeOctal(block, 108, 8, 0);
  writeOctal(block, 116, 8, 0);
  writeOctal(block, 124, 12, entry.type === 'file' || entry.type === 'pax' ? entry.size : 0);
  writeOctal(block, 136, 12, entry.mtime);
  block.write(TYPE_FLAGS[entry.type], 156);
  block.write(entry.linkname ?? '', 157, 100);
  block.write('ustar\u000000', 257);
  writeOctal(block, 329, 8, 0);
  writeOctal(block, 337, 8, 0);
  block.write(name.prefix, 345, 155);
  writeChecksum(block);
  return block;
}

/** Zero-padded octal digits followed by a NUL, filling the field. */
function writeOctal(block: Buffer, offset: number, length: number, value: number): void {
  block.write(`${value.toString(8).padStart(length - 1, '0')}\u0000`, offset, length, 'latin1');
}

/** The unsigned sum of the header's bytes, its own field counted as spaces: 6 octal digits, NUL, space. */
function writeChecksum(block: Buffer): void {
  block.fill(' ', 148, 156);
  let sum = 0;
  for (const byte of block) sum += byte;
  block.write(`${sum.toString(8).padStart(6, '0')}\u0000 `, 148, 8, 'latin1');
}
