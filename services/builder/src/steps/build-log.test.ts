import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BuildLog } from './build-log.js';
import { RedactingBuffer, Redactor, secretsOf } from './redact.js';

const logFile = async () => join(await mkdtemp(join(tmpdir(), 'builder-log-')), 'logs/app/p1/build.log');

describe('the build log', () => {
  it('redacts a secret even when a process writes it across two chunks', async () => {
    const path = await logFile();
    const log = await BuildLog.open(path, { maxBytes: 1024, redactor: new Redactor(['hunter2-password']) });
    const output = log.output();
    output.push('token is hunter2-pa');
    output.push('ssword, done\nnext line');
    output.flush();
    log.line('builder says hunter2-password too');
    await log.close();
    expect(await readFile(path, 'utf8')).toBe(
      'token is [redacted], done\nnext line' + 'builder says [redacted] too\n',
    );
  });

  it('hides a secret learned during the build from then on', async () => {
    const path = await logFile();
    const log = await BuildLog.open(path, { maxBytes: 1024, redactor: new Redactor([]) });
    log.hide(['from-a-file']);
    log.line('value from-a-file');
    await log.close();
    expect(await readFile(path, 'utf8')).toBe('value [redacted]\n');
  });

  it('stops at the size cap with a marker, counting earlier attempts', async () => {
    const path = await logFile();
    const first = await BuildLog.open(path, { maxBytes: 100, redactor: new Redactor([]) });
    first.line('x'.repeat(59));
    await first.close();
    const second = await BuildLog.open(path, { maxBytes: 100, redactor: new Redactor([]) });
    second.line('y'.repeat(59));
    second.line('never written');
    await second.close();
    const text = await readFile(path, 'utf8');
    expect(text.startsWith(`${'x'.repeat(59)}\n${'y'.repeat(40)}\n[build log truncated`)).toBe(true);
    expect(text).toContain('BUILD_LOG_MAX_BYTES (100 bytes)');
    expect(text).not.toContain('never written');
  });
});

describe('redaction', () => {
  it('takes secrets from variables named like secrets only', () => {
    const env = {
      GIT_PASSWORD: 'p4ssword',
      NPM_TOKEN: 'tok-123',
      REGISTRY_PASSWORD: 'reg-pass',
      HOME: '/root',
    };
    expect(secretsOf(env).sort()).toEqual(['p4ssword', 'reg-pass', 'tok-123']);
  });

  it('leaves values too short to be secrets alone', () => {
    expect(new Redactor(['abc', 'true-secret']).redact('abc true-secret')).toBe('abc [redacted]');
  });

  it('releases an endless line in pieces, still catching a secret at the cut', () => {
    const out: string[] = [];
    const buffer = new RedactingBuffer(new Redactor(['s3cret-value']), (text) => out.push(text));
    buffer.push(`${'a'.repeat(70_000)}s3cret-`);
    buffer.push('value');
    buffer.flush();
    expect(out.join('')).toBe(`${'a'.repeat(70_000)}[redacted]`);
    expect(out.length).toBeGreaterThan(1);
  });
});
