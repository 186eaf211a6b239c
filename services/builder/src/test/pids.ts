import { readFile, readdir } from 'node:fs/promises';

/**
 * Whether a process still runs. A zombie counts as gone: it runs nothing, and where PID 1 does not
 * reap orphans (some containers) it would otherwise look alive forever.
 */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

/**
 * The pids of the host's processes whose command line contains `marker` (`sleep 3141.59`): what a
 * test sees of a sandboxed step, whose own pids are those of its namespace. Zombies count as gone.
 */
export async function processesWith(marker: string): Promise<number[]> {
  const found: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    const cmdline = await readFile(`/proc/${name}/cmdline`, 'utf8').catch(() => '');
    if (cmdline.replaceAll('\0', ' ').includes(marker) && (await isRunning(Number(name))))
      found.push(Number(name));
  }
  return found;
}

/** A `sleep` duration no other test uses, to find a step's processes by (processesWith). */
export const uniqueSleep = () => `${3000 + Math.floor(Math.random() * 6000)}.${process.hrtime()[1]}`;
