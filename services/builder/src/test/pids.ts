import { readFile } from 'node:fs/promises';

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
