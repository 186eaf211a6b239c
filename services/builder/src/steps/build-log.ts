import { once } from 'node:events';
import { type WriteStream, createWriteStream } from 'node:fs';
import { mkdir, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { RedactingBuffer, type Redactor } from './redact.js';

/**
 * The per-pipeline build log: what the builder did and every step's output, secrets redacted,
 * capped at `maxBytes` with a marker where it was cut. Attempts of the same pipeline append.
 */
export class BuildLog {
  #written: number;
  #truncated = false;

  #redactor: Redactor;

  private constructor(
    private readonly out: WriteStream,
    written: number,
    private readonly maxBytes: number,
    redactor: Redactor,
  ) {
    this.#written = written;
    this.#redactor = redactor;
  }

  get redactor(): Redactor {
    return this.#redactor;
  }

  /** Hides more values from here on: secrets a build learns as it goes (a password read from a file). */
  hide(secrets: Iterable<string>): void {
    this.#redactor = this.#redactor.with(secrets);
  }

  static async open(path: string, options: { maxBytes: number; redactor: Redactor }): Promise<BuildLog> {
    await mkdir(dirname(path), { recursive: true });
    // Earlier attempts count against the cap: the log of a pipeline stays under it in all.
    const written = await stat(path).then(
      (s) => s.size,
      () => 0,
    );
    const out = createWriteStream(path, { flags: 'a' });
    await once(out, 'open');
    return new BuildLog(out, written, options.maxBytes, options.redactor);
  }

  /** One line of the builder's own narration (`==> step test: npm test`), redacted too. */
  line(text: string): void {
    this.#write(`${this.#redactor.redact(text)}\n`);
  }

  /** A sink for a child process's output: partial lines are held until complete, then redacted. */
  output(): RedactingBuffer {
    return new RedactingBuffer(this.#redactor, (text) => this.#write(text));
  }

  async close(): Promise<void> {
    this.out.end();
    await once(this.out, 'close');
  }

  #write(text: string): void {
    if (this.#truncated) return;
    const bytes = Buffer.from(text);
    const room = this.maxBytes - this.#written;
    if (bytes.length <= room) {
      this.out.write(bytes);
      this.#written += bytes.length;
      return;
    }
    this.out.write(bytes.subarray(0, Math.max(room, 0)));
    this.out.write(`\n[build log truncated: it reached BUILD_LOG_MAX_BYTES (${this.maxBytes} bytes)]\n`);
    this.#written = this.maxBytes;
    this.#truncated = true;
  }
}
