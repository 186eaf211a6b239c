import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { isRunning } from '../test/pids.js';
import { type ProcessOptions, runProcess } from './process.js';

const run = async (command: string, options: Partial<ProcessOptions> = {}) => {
  const cwd = await mkdtemp(join(tmpdir(), 'builder-process-'));
  let output = '';
  const result = await runProcess({
    command,
    cwd,
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    timeoutMs: 10_000,
    signal: new AbortController().signal,
    onOutput: (text) => {
      output += text;
    },
    killGraceMs: 200,
    ...options,
  });
  return { result, output, cwd };
};

const pidsIn = async (cwd: string) =>
  (await readFile(join(cwd, 'pids'), 'utf8')).trim().split(/\s+/).map(Number);

describe('runProcess', () => {
  it('reports the exit code and the output of both streams', async () => {
    const { result, output } = await run('echo out; echo err >&2; exit 3');
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false });
    expect(output).toContain('out\n');
    expect(output).toContain('err\n');
  });

  it('kills a hanging command and the children it started once its timeout passes', async () => {
    const started = Date.now();
    const { result, cwd } = await run('sleep 300 & echo $! $$ > pids; sleep 300', { timeoutMs: 300 });
    expect(result).toMatchObject({ exitCode: null, timedOut: true });
    expect(Date.now() - started).toBeLessThan(5000);
    const pids = await pidsIn(cwd);
    expect(pids).toHaveLength(2);
    for (const pid of pids) expect(await isRunning(pid), `pid ${pid}`).toBe(false);
  });

  it('kills with SIGKILL a command that ignores SIGTERM', async () => {
    const { result, cwd } = await run("trap '' TERM; echo $$ > pids; while :; do sleep 0.05; done", {
      timeoutMs: 200,
    });
    expect(result.timedOut).toBe(true);
    const [pid] = await pidsIn(cwd);
    expect(await isRunning(pid!)).toBe(false);
  });

  it('stops at once when its signal is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const { result } = await run('sleep 300', { signal: controller.signal });
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    expect(result.durationMs).toBeLessThan(3000);
  });

  it('leaves no background child behind after the command exits', async () => {
    const { result, cwd } = await run('sleep 300 & echo $! > pids; exit 0');
    expect(result.exitCode).toBe(0);
    const [pid] = await pidsIn(cwd);
    expect(await isRunning(pid!)).toBe(false);
  });

  it('passes only the environment it is given', async () => {
    vi.stubEnv('BUILDER_TEST_SECRET', 'do-not-leak');
    const { output } = await run('echo "[$BUILDER_TEST_SECRET]"');
    vi.unstubAllEnvs();
    expect(output).toBe('[]\n');
  });
});
