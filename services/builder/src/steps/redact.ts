const MARK = '[redacted]';
/** Shorter values would blank out ordinary words of the output ("true", "test"). */
const MIN_SECRET_LENGTH = 4;
/** Names of environment variables whose values are secrets wherever they appear. */
const SECRET_NAME = /PASSWORD|PASSWD|SECRET|TOKEN|CREDENTIAL|PRIVATE_KEY|API_KEY|ACCESS_KEY/i;

/** Where a base64 rendering of a secret starts inside a longer base64 text: its byte offset modulo 3. */
const BASE64_OFFSETS = [0, 1, 2] as const;
/** Characters of the base64 text at each offset that still depend on the bytes before the secret. */
const BASE64_LEAD = [0, 2, 3] as const;

/**
 * The base64 characters that only the secret decides, for each offset it can start at in a longer
 * encoded text (`echo "user:$TOKEN" | base64`): the characters that mix in the bytes before or after
 * it are left out, so each form appears in any base64 text that holds the secret.
 */
function base64Forms(bytes: Buffer): string[] {
  return BASE64_OFFSETS.flatMap((offset) => {
    const text = Buffer.concat([Buffer.alloc(offset), bytes]).toString('base64');
    const std = text.slice(BASE64_LEAD[offset], Math.floor(((offset + bytes.length) * 8) / 6));
    return [std, std.replaceAll('+', '-').replaceAll('/', '_')];
  });
}

/**
 * The renderings of a secret a step prints without meaning to: itself, base64 (standard and URL-safe,
 * at any offset), URL-encoded, hex, JSON-escaped, and spaced out one character at a time.
 */
export function secretForms(secret: string): string[] {
  const bytes = Buffer.from(secret);
  const hex = bytes.toString('hex');
  return [
    secret,
    ...base64Forms(bytes),
    encodeURIComponent(secret),
    hex,
    hex.toUpperCase(),
    JSON.stringify(secret).slice(1, -1),
    [...secret].join(' '),
  ];
}

/**
 * Replaces every occurrence of known secret values, in every form `secretForms` lists; longest first,
 * so one secret inside another goes whole.
 */
export class Redactor {
  readonly #secrets: string[];
  readonly #forms: string[];

  constructor(secrets: Iterable<string>) {
    this.#secrets = [...new Set(secrets)].filter((s) => s.length >= MIN_SECRET_LENGTH);
    const forms = new Set(this.#secrets.flatMap(secretForms));
    this.#forms = [...forms].filter((f) => f.length >= MIN_SECRET_LENGTH).sort((a, b) => b.length - a.length);
  }

  /** A redactor that also hides `more`, e.g. a password read from a file for one build. */
  with(more: Iterable<string>): Redactor {
    return new Redactor([...this.#secrets, ...more]);
  }

  /** The length of the longest form: output held back so a secret split across chunks is still caught. */
  get longest(): number {
    return this.#forms[0]?.length ?? 0;
  }

  redact(text: string): string {
    let out = text;
    for (const form of this.#forms) out = out.replaceAll(form, MARK);
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
