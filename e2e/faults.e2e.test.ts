// Faults end to end: the platform's services run as their own processes against real servers, and
// are killed the way the kernel or an operator kills them. Each case asserts what must survive the
// fault and what must not.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { type Platform, source, startPlatform } from '@gitops/fixtures';
import { type StoredMessage, readStream } from '@gitops/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

/** Running, not a zombie: an orphan reparented to a PID 1 that does not reap would stay a zombie. */
async function isRunning(pid: number): Promise<boolean> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
  return stat !== '' && stat[stat.lastIndexOf(')') + 2] !== 'Z';
}

const isBuildResult = (message: StoredMessage) => message.json.type !== 'dev.gitops.build.started.v1';

/**
 * A test step that, on its first attempt, starts a background child in its process group, writes
 * `<shell pid> <child pid>` to `<dir>/pids` and sleeps; on a later attempt (the builder that took the
 * job over) it finds its marker in `dir` and passes at once.
 */
function slowOnceStep(dir: string): string {
  const lines = [
    `if [ -e ${dir}/attempted ]; then exit 0; fi`,
    `touch ${dir}/attempted`,
    'sleep 300 &',
    `echo "$$ $!" > ${dir}/pids.tmp && mv ${dir}/pids.tmp ${dir}/pids`,
    'wait',
  ];
  return `steps:\n  - name: test\n    run: |\n${lines.map((line) => `      ${line}`).join('\n')}\n`;
}

describe('a builder killed with SIGKILL in the middle of a build', () => {
  let platform: Platform;
  /** Process groups a failed assertion would leave running. */
  const stepGroups: number[] = [];

  // A sandboxed step has a PID namespace of its own, which dies with it; this is the path without.
  beforeAll(async () => {
    platform = await startPlatform({ env: { BUILD_SANDBOX: 'off' } });
  });
  afterAll(async () => {
    for (const group of stepGroups) {
      try {
        process.kill(-group, 'SIGKILL');
      } catch {
        // gone, as it should be
      }
    }
    await platform?.stop();
  });

  it('leaves no process of its build running, and a new builder ends the pipeline within seconds', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gitops-faults-'));
    const sha = await platform.push('hello', { ...source, '.gitops.yaml': slowOnceStep(dir) }, 'a slow test');
    const pids = await vi.waitFor(() => readFile(join(dir, 'pids'), 'utf8'), {
      timeout: 20_000,
      interval: 100,
    });
    const [shell, child] = pids.trim().split(' ').map(Number) as [number, number];
    stepGroups.push(shell); // the step's shell leads its process group

    const killed = platform.service('builder').child;
    killed.kill('SIGKILL');
    await vi.waitFor(() => expect(killed.signalCode).toBe('SIGKILL'));
    await vi.waitFor(
      async () => expect([await isRunning(shell), await isRunning(child)]).toEqual([false, false]),
      {
        timeout: 2000,
        interval: 50,
      },
    );

    await platform.restart('builder');
    const restarted = Date.now();
    const results = async () =>
      (await readStream(platform.nats.url, 'gitops.v1.hello.build.>', { timeoutMs: 0 })).filter(
        isBuildResult,
      );
    await vi.waitFor(async () => expect(await results()).toHaveLength(1), { timeout: 25_000, interval: 200 });
    // The lock (10 s) and the stalled check (5 s) bound the takeover; the rest is the restart and the build.
    expect(Date.now() - restarted).toBeLessThan(20_000);
    await sleep(2000);
    expect((await results()).map((message) => [message.json.type, message.json.data])).toEqual([
      ['dev.gitops.build.succeeded.v1', expect.objectContaining({ commit: sha })],
    ]);
  }, 60_000);
});
