/** What one step may use (docs/builder.md, "Limits"). */
export interface StepLimits {
  /** BUILD_WORKSPACE_MAX: the workspace as a whole (watched), and so any one file (RLIMIT_FSIZE). */
  workspaceBytes: number;
  /** BUILD_MEMORY_MAX: the step's cgroup, or else each of its processes (RLIMIT_DATA). */
  memoryBytes: number;
  /** BUILD_CPUS: the step's cgroup only; without one, steps run at a lower priority (nice). */
  cpus: number;
  /** Processes and threads: the step's cgroup (pids.max), or else its user's (RLIMIT_NPROC). */
  processes: number;
}

/** Steps yield the CPU to the builder itself (HTTP, the bus) when there is no cgroup to share it. */
const NICENESS = 10;

/**
 * The command a sandbox runs: the step's `sh -c` under prlimit (util-linux), which sets the rlimits
 * every process of the step inherits. RLIMIT_DATA rather than RLIMIT_AS: V8 and WebAssembly reserve
 * far more address space than they use, and would fail under an address-space cap. With a cgroup,
 * memory and processes are the cgroup's to count (for the step as a whole), so only the per-file and
 * per-process limits stay.
 */
export function limitedCommand(
  programs: { prlimit: string; nice: string; sh: string },
  command: string,
  limits: StepLimits,
  cgroup: boolean,
): string[] {
  const rlimits = [`--fsize=${limits.workspaceBytes}`, '--core=0'];
  if (!cgroup) rlimits.push(`--data=${limits.memoryBytes}`, `--nproc=${limits.processes}`);
  const nice = cgroup ? [] : [programs.nice, '-n', String(NICENESS)];
  return [programs.prlimit, ...rlimits, '--', ...nice, programs.sh, '-c', command];
}
