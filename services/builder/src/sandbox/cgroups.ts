import { randomUUID } from 'node:crypto';
import { constants, access, mkdir, readFile, rmdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/** The controllers a step's limits need: memory.max, cpu.max, pids.max. */
const NEEDED = ['memory', 'cpu', 'pids'];
/** cpu.max's period, in microseconds. */
const CPU_PERIOD = 100_000;

export interface CgroupLimits {
  memoryBytes: number;
  /** Cores' worth of CPU time; 0 for no limit. */
  cpus: number;
  processes: number;
}

/** The cgroup of one step: every process of the sandbox joins it before the step's command starts. */
export interface StepCgroup {
  add(pid: number): Promise<void>;
  /** Removes the cgroup once its processes are gone (retried briefly while the kernel reaps them). */
  remove(): Promise<void>;
}

/** The mount point of the cgroup v2 hierarchy in /proc/self/mountinfo (`/sys/fs/cgroup`, or `…/unified` on hybrid hosts). */
export function cgroup2Mount(mountinfo: string): string | undefined {
  for (const line of mountinfo.split('\n')) {
    const [mount, rest] = line.split(' - ');
    if (rest?.startsWith('cgroup2 ')) return mount?.split(' ')[4];
  }
  return undefined;
}

/**
 * Step cgroups under the builder's own cgroup v2, when that cgroup is delegated to it (writable, with
 * the memory, cpu and pids controllers available: systemd's `Delegate=yes`, or a container with a
 * private cgroup namespace and a writable cgroupfs). The builder moves itself into a leaf `builder`
 * (cgroup v2 keeps processes out of inner nodes), enables the controllers for the subtree, and puts
 * each step in a sibling `step-<id>` with memory.max, cpu.max and pids.max.
 */
export class StepCgroups {
  private constructor(private readonly own: string) {}

  /** Undefined when the host does not delegate a cgroup v2 with those controllers (docs/builder.md, "Limits"). */
  static async detect(proc = '/proc/self', pid = process.pid): Promise<StepCgroups | undefined> {
    try {
      const relative = /^0::(.*)$/m.exec(await readFile(join(proc, 'cgroup'), 'utf8'))?.[1];
      const mount = cgroup2Mount(await readFile(join(proc, 'mountinfo'), 'utf8'));
      if (relative === undefined || mount === undefined) return undefined;
      const own = join(mount, relative);
      const controllers = (await readFile(join(own, 'cgroup.controllers'), 'utf8')).split(/\s+/);
      if (!NEEDED.every((c) => controllers.includes(c))) return undefined;
      await access(join(own, 'cgroup.subtree_control'), constants.W_OK);
      await mkdir(join(own, 'builder'), { recursive: true });
      await writeFile(join(own, 'builder', 'cgroup.procs'), String(pid));
      await writeFile(join(own, 'cgroup.subtree_control'), NEEDED.map((c) => `+${c}`).join(' '));
      return new StepCgroups(own);
    } catch {
      // Not delegated (read-only cgroupfs, other processes in the cgroup): rlimits instead.
      return undefined;
    }
  }

  async create(limits: CgroupLimits): Promise<StepCgroup> {
    const dir = join(this.own, `step-${randomUUID()}`);
    await mkdir(dir);
    const cpu = limits.cpus > 0 ? `${Math.round(limits.cpus * CPU_PERIOD)} ${CPU_PERIOD}` : 'max';
    await writeFile(join(dir, 'memory.max'), String(limits.memoryBytes));
    await writeFile(join(dir, 'cpu.max'), cpu);
    await writeFile(join(dir, 'pids.max'), String(limits.processes));
    return {
      add: (pid) => writeFile(join(dir, 'cgroup.procs'), String(pid)),
      remove: async () => {
        for (let attempt = 0; attempt < 20; attempt++) {
          if (
            await rmdir(dir).then(
              () => true,
              () => false,
            )
          )
            return;
          await sleep(50);
        }
      },
    };
  }
}
