const REDACTED = '[redacted]';

// scheme://user:password@host: git hides these itself in most messages, but not in every one.
const URL_USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)[^/@\s]+@/gi;

/** `text` with each secret and any credentials written into a URL replaced by `[redacted]`. */
export function redact(text: string, secrets: readonly string[] = []): string {
  let out = text.replace(URL_USERINFO, `$1${REDACTED}@`);
  for (const secret of secrets) if (secret) out = out.replaceAll(secret, REDACTED);
  return out;
}

/** git's last few lines of stderr, without its `hint:` advice, which says nothing about the failure. */
export function lastLines(stderr: string, count = 5): string {
  const lines = stderr
    .split('\n')
    .map((line) => line.trimEnd())
    .filter((line) => line && !line.startsWith('hint:'));
  return lines.slice(-count).join('\n');
}
