import { chmod, mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { BuildFailure } from '../errors.js';
import { handOver } from '../source/workspace.js';
import type { ProcessOptions, ProcessResult } from '../steps/process.js';
import { runProcess } from '../steps/process.js';
import { type StepIsolation, type StepRunner, type StepsOfBuild, ownStop } from '../steps/step-runner.js';
import { StepCgroups } from './cgroups.js';
import { sandboxErrors } from './errors.js';
import { SANDBOX_ID } from './etc-files.js';
import { type HostView, readHostView } from './host-view.js';
import type { StepLimits } from './limits.js';
import { type Programs, findPrograms } from './programs.js';
import { sandboxLaunch } from './sandbox-launch.js';

/** The private /tmp of a step, in memory: tools that write to /tmp whatever TMPDIR says. */
const TMP_BYTES = 256 * 1024 ** 2;
const PROBE_TIMEOUT_MS = 10_000;

/** Lets the sandbox's user pass through every directory above `path`: o+x up to `dataRoot`, refused above. */
async function makeReachable(path: string, dataRoot: string): Promise<void> {
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const { mode } = await stat(dir);
    if ((mode & 0o001) === 0) {
      if (relative(dataRoot, dir).startsWith('..')) throw sandboxErrors.unreachable(dir, SANDBOX_ID);
      await chmod(dir, (mode & 0o7777) | 0o001);
    }
    if (dir === dirname(dir)) return;
  }
}

/**
 * Runs build steps in bubblewrap (docs/builder.md, "Sandbox"): every step in new namespaces, as an
 * unprivileged user, seeing a read-only system, its workspace and nothing else of the host, within
 * the limits of `StepLimits`. `start` checks that a sandbox can be made here, once.
 */
export class Sandbox implements StepIsolation {
  readonly name = 'in a sandbox (bwrap)';

  private constructor(
    private readonly programs: Programs,
    private readonly view: HostView,
    private readonly cgroups: StepCgroups | undefined,
    private readonly limits: StepLimits,
  ) {}

  /** `dataRoot`: GITOPS_DATA_DIR, where the probe runs, so a data directory steps cannot reach stops the start. */
  static async start(limits: StepLimits, dataRoot = tmpdir()): Promise<Sandbox> {
    const view = await readHostView();
    const programs = await findPrograms(view.path);
    const sandbox = new Sandbox(programs, view, await StepCgroups.detect(), limits);
    await sandbox.probe(dataRoot);
    return sandbox;
  }

  /** Where memory, CPU and process limits are enforced: a cgroup per step, or rlimits per process. */
  get enforcement(): 'cgroup' | 'rlimit' {
    return this.cgroups ? 'cgroup' : 'rlimit';
  }

  /** The PATH steps get: the system's, and where the builder's Node.js lives. */
  get path(): string {
    return this.view.path;
  }

  /** A root builder runs steps as uid 1000 on the host too; any other runs them as itself, mapped to 1000. */
  private get user() {
    return process.getuid?.() === 0 ? { uid: SANDBOX_ID, gid: SANDBOX_ID } : undefined;
  }

  /**
   * Makes the build's workspace the sandbox user's (and the directories above it passable, up to the
   * data directory), and answers the runner of its steps.
   */
  async prepare(build: StepsOfBuild): Promise<StepRunner> {
    if (this.user) {
      await handOver(build.workspace.root, this.user);
      for (const path of [build.workspace.root, ...build.readOnly])
        await makeReachable(resolve(path), resolve(build.dataRoot));
    }
    return (options) => this.run(build, options);
  }

  private async run(build: StepsOfBuild, options: ProcessOptions): Promise<ProcessResult> {
    const own = ownStop(options.signal);
    const { limits } = this;
    const cgroup = await this.cgroups?.create(limits);
    const { launch, cleanUp } = sandboxLaunch({
      programs: this.programs,
      view: this.view,
      limits,
      tmpBytes: TMP_BYTES,
      workspace: build.workspace.root,
      home: build.workspace.home,
      readOnly: build.readOnly,
      network: build.network,
      cwd: options.cwd,
      env: options.env,
      command: options.command,
      user: this.user,
      cgroup,
      fail: (err) =>
        own.stop(new BuildFailure(`the step's sandbox could not be set up: ${err.message}`, 'error')),
    });
    try {
      return own.outcome(await runProcess({ ...options, signal: own.signal, launch }));
    } finally {
      await cleanUp();
      await cgroup?.remove();
    }
  }

  /** Runs `true` in a sandbox like a step's, so a host where bwrap cannot work stops the builder at start. */
  private async probe(dataRoot: string): Promise<void> {
    await mkdir(dataRoot, { recursive: true });
    const root = await mkdtemp(join(dataRoot, '.sandbox-probe-'));
    try {
      const workspace = { root, src: root, home: root, tmp: root };
      const run = await this.prepare({ workspace, dataRoot, readOnly: [], network: 'none' });
      let output = '';
      const result = await run({
        command: 'true',
        cwd: root,
        env: { PATH: this.path },
        timeoutMs: PROBE_TIMEOUT_MS,
        signal: new AbortController().signal,
        onOutput: (text) => {
          output += text;
        },
      });
      const problem = result.failure?.message ?? result.error?.message ?? output.trim();
      if (result.exitCode !== 0)
        throw sandboxErrors.unavailable(
          `bwrap cannot make a sandbox here (${problem || `exit ${result.exitCode}`})`,
        );
    } finally {
      await rm(root, { recursive: true, force: true });
    }
  }
}
