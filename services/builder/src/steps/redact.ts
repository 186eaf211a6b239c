const MARK = '[redacted]';
/** Shorter values would blank out ordinary words of the output ("true", "test"). */
const MIN_SECRET_LENGTH = 4;
/** Names of environment variables whose values are secrets wherever they appear. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY/i;

/** Replaces every occurrence of known secret values; longest first, so one secret inside another goes whole. */
export class Redactor {
  readonly #secrets: string[];

  constructor(secrets: Iterable<string>) {
    const usable = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
    this.#secrets = usable.sort((a, b) => b.length - a.length);
  }

  /** A redactor that also hides `more`, e.g. a password read from a file for one build. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.#secrets, ...more]);
  }

  /** The length of the longest secret: output held back so a secret split across chunks is still caught. */
  get longest(): number {
    return this.#secrets[0]?.length ?? 0;
  }

  redact(text: string): string {
    let out = text;
    for (const secret of this.#secrets) out = out.replaceAll(secret, MARK);
    return out;
  }
}

/** The values of `env` whose names say they are secrets (GIT_PASSWORD, REGISTRY_PASSWORD, *_TOKEN, …). */
export function secretsOf(env: NodeJS.ProcessEnv): string[] {
  return Object.entries(env)
    .filter(([name, value]) => SECRET_NAME.test(name) && value !== undefined)
    .map(([, value]) => value!.trim());
}

/** Past this much text without a newline, output is written anyway (minus a tail that may hold a secret's start). */
const MAX_PENDING = 64 * 1024;

/**
 * Turns a stream of text chunks into redacted text. Output is released at line ends, so a secret
 * split between two chunks is still seen whole; an endless line is released in pieces, keeping
 * back the longest secret's length minus one.
 */
export class RedactingBuffer {
  #pending = '';

  constructor(
    private readonly redactor: Redactor,
    private readonly emit: (text: string) => void,
  ) {}

  push(chunk: string): void {
    this.#pending += chunk;
    const end = this.#pending.lastIndexOf('\n');
    if (end >= 0) {
      this.emit(this.redactor.redact(this.#pending.slice(0, end + 1)));
      this.#pending = this.#pending.slice(end + 1);
    }
    if (this.#pending.length > MAX_PENDING) {
      const redacted = this.redactor.redact(this.#pending);
      const keep = Math.max(this.redactor.longest - 1, 0);
      this.emit(redacted.slice(0, redacted.length - keep));
      this.#pending = redacted.slice(redacted.length - keep);
    }
  }

  flush(): void {
    if (this.#pending) this.emit(this.redactor.redact(this.#pending));
    this.#pending = '';
  }
}
