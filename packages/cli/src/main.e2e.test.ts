import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';

const BINARY = fileURLToPath(new URL('../dist/main.js', import.meta.url));
const VERSION = (
  JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** Runs the built binary as a person would, with no NATS_URL or colour variables of the test's. */
async function binary(args: string[]) {
  const env = { PATH: process.env.PATH ?? '' };
  return promisify(execFile)(process.execPath, [BINARY, ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

describe('the built gitops binary', () => {
  beforeAll(() => {
    if (!existsSync(BINARY)) throw new Error(`${BINARY} is missing: run pnpm --filter @gitops/cli build`);
  });

  it('prints its help and exits 0', async () => {
    const run = await binary(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gitops <command> \[options\]\n/);
    expect(run.stderr).toBe('');
  });

  it("prints a command's help and exits 0", async () => {
    const run = await binary(['logs', '--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^gitops logs <pipelineId>\n/);
  });

  it('prints its version and exits 0', async () => {
    expect(await binary(['--version'])).toEqual({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  });

  it('names an unknown flag in one line, without a stack trace, and exits 2', async () => {
    expect(await binary(['tail', '--foo'])).toEqual({
      code: 2,
      stdout: '',
      stderr: 'gitops tail: unknown flag --foo\n',
    });
  });

  it('reports a runtime failure in one line and exits 1', async () => {
    expect(await binary(['validate', '/no/such/gitops.yaml'])).toEqual({
      code: 1,
      stdout: '',
      stderr: 'gitops validate: /no/such/gitops.yaml: cannot read: ENOENT\n',
    });
  });
});
