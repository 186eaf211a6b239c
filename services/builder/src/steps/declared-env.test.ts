import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BuildSecret } from '@gitops/config';
import { describe, expect, it } from 'vitest';
import { declaredEnvironment } from './declared-env.js';

const secretFile = async (content: string) => {
  const file = join(await mkdtemp(join(tmpdir(), 'builder-secret-')), 'token');
  await writeFile(file, content);
  return file;
};
const declare = (secrets: BuildSecret[], env: NodeJS.ProcessEnv = {}, platform?: Set<string>) =>
  declaredEnvironment({ env: { LEVEL: 'debug' }, secrets }, env, platform);
const refusal = (promise: Promise<unknown>) =>
  promise.then(
    () => {
      throw new Error('expected the declaration to be refused');
    },
    (err: Error & { reason?: string }) => `${err.reason}: ${err.message}`,
  );

describe("an application's declared env and secrets", () => {
  it('reads secrets from the builder environment and from files, without the trailing newline', async () => {
    const fromFile = await secretFile('file-secret\n');
    const declared = await declare(
      [
        { name: 'NPM_TOKEN', fromEnv: 'HELLO_NPM_TOKEN' },
        { name: 'KEY', fromFile },
      ],
      { HELLO_NPM_TOKEN: 'env-secret' },
    );
    expect(declared).toEqual({
      env: { LEVEL: 'debug' },
      secrets: { NPM_TOKEN: 'env-secret', KEY: 'file-secret' },
    });
  });

  it("refuses the platform's own variables, by name and by what the builder is configured with", async () => {
    const env = { GIT_PASSWORD: 'git-pass', NATS_URL: 'nats://u:p@h', HELLO_HOOK: 'hook-secret' };
    expect(await refusal(declare([{ name: 'X', fromEnv: 'GIT_PASSWORD' }], env))).toBe(
      'invalid-config: spec.build.secrets: X cannot come from GIT_PASSWORD, a variable of the platform itself',
    );
    expect(await refusal(declare([{ name: 'X', fromEnv: 'NATS_URL' }], env))).toContain(
      'NATS_URL, a variable of the platform',
    );
    expect(
      await refusal(declare([{ name: 'X', fromEnv: 'HELLO_HOOK' }], env, new Set(['HELLO_HOOK']))),
    ).toContain('HELLO_HOOK, a variable of the platform');
  });

  it("refuses a credential file of the platform's, whatever path names it", async () => {
    const file = await secretFile('git-password\n');
    const env = { GIT_PASSWORD_FILE: file };
    const viaDotDot = join(file, '..', '.', 'token');
    expect(await refusal(declare([{ name: 'X', fromFile: viaDotDot }], env))).toContain(
      'a file of the platform itself',
    );
  });

  it('fails the build naming a missing variable, an unreadable file and a value too short to redact', async () => {
    expect(await refusal(declare([{ name: 'X', fromEnv: 'ABSENT' }]))).toBe(
      "invalid-config: spec.build.secrets: X needs ABSENT in the builder's environment",
    );
    expect(await refusal(declare([{ name: 'X', fromFile: '/nonexistent/token' }]))).toBe(
      'invalid-config: spec.build.secrets: X cannot be read from /nonexistent/token: ENOENT',
    );
    expect(await refusal(declare([{ name: 'X', fromEnv: 'SHORT' }], { SHORT: 'abc' }))).toContain(
      'shorter than 4 characters',
    );
  });
});
