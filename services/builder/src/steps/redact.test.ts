import { describe, expect, it } from 'vitest';
import { Redactor, secretForms } from './redact.js';

const SECRET = 'pa$$w0rd/with+odd&chars';
const redactor = new Redactor([SECRET]);
const base64 = (text: string) => Buffer.from(text).toString('base64');
const base64url = (text: string) => Buffer.from(text).toString('base64url');

describe('redaction of a secret in its other forms', () => {
  it.each([0, 1, 2, 3, 4, 5])(
    'hides it base64-encoded inside a longer text, %i bytes in, standard and URL-safe',
    (offset) => {
      const text = `${'u'.repeat(offset)}${SECRET}:tail`;
      for (const encoded of [base64(text), base64url(text)]) {
        const out = redactor.redact(`Authorization: Basic ${encoded}`);
        expect(out).toContain('[redacted]');
        // What is left around the mark decodes to no more than a few bytes of the secret.
        for (const piece of out.replace('Authorization: Basic ', '').split('[redacted]')) {
          expect(Buffer.from(piece, 'base64').toString('latin1')).not.toContain(SECRET.slice(0, 6));
        }
      }
    },
  );

  it('hides it URL-encoded, in hex, JSON-escaped and spaced out', () => {
    const quoted = 'say "hi" to \\ me';
    const forms = [
      `https://host/?token=${encodeURIComponent(SECRET)}&x=1`,
      `hex ${Buffer.from(SECRET).toString('hex')} HEX ${Buffer.from(SECRET).toString('hex').toUpperCase()}`,
      [...SECRET].join(' '),
    ];
    for (const text of forms) expect(redactor.redact(text), text).not.toMatch(/w ?0 ?r ?d|773072|%2F/i);
    expect(new Redactor([quoted]).redact(JSON.stringify({ v: quoted }))).toBe('{"v":"[redacted]"}');
  });

  it('lists no form shorter than a few characters, even for a short secret', () => {
    expect(new Redactor(['abcd']).redact('ab cd abc YWJj')).toBe('ab cd abc YWJj');
    expect(secretForms('abcd')).toContain('YWJjZ');
  });

  it('holds back enough output for the longest form, split across chunks', () => {
    expect(redactor.longest).toBe(Buffer.from(SECRET).toString('hex').length);
  });
});
