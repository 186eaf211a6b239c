import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { resolve } from 'node:path';
import { repoRoot } from '@gitops/testing';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { isRunning } from './test/pids.js';

const leftovers: number[] = [];
afterEach(() => {
  for (const pid of leftovers.splice(0)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // gone already
    }
  }
});

/** Runs test/guarded-children.ts in a process of its own; answers it and the pids it printed. */
async function startGuardedChildren() {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', resolve(import.meta.dirname, 'test/guarded-children.ts')],
    {
      cwd: repoRoot,
      env: { ...process.env, TSX_TSCONFIG_PATH: resolve(repoRoot, 'tsconfig.check.json') },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  await vi.waitFor(() => expect(output).toContain('released'), { timeout: 20_000, interval: 50 });
  const pids = (name: string) =>
    (output.match(new RegExp(`${name} ([\\d ]+)`))?.[1] ?? '').split(' ').map(Number);
  return { child, guarded: pids('guarded'), released: pids('released') };
}

describe('the orphan guard', () => {
  it('kills every process of a guarded group once its process is killed with SIGKILL, and spares released groups', async () => {
    const { child, guarded, released } = await startGuardedChildren();
    leftovers.push(guarded[0]!, released[0]!);
    expect(guarded).toHaveLength(2);
    for (const pid of [...guarded, ...released]) expect(await isRunning(pid)).toBe(true);
    child.kill('SIGKILL');
    await once(child, 'exit');
    await vi.waitFor(async () => expect(await Promise.all(guarded.map(isRunning))).toEqual([false, false]), {
      timeout: 2000,
      interval: 50,
    });
    expect(await isRunning(released[0]!)).toBe(true);
  });
});
