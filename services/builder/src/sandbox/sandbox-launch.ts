import type { Duplex } from 'node:stream';
import type { BuildNetwork } from '@gitops/config';
import type { Launch } from '../steps/process.js';
import { bwrapOptions } from './bwrap-args.js';
import type { StepCgroup } from './cgroups.js';
import { etcFiles } from './etc-files.js';
import type { HostView } from './host-view.js';
import { type StepLimits, limitedCommand } from './limits.js';
import type { Programs } from './programs.js';
import { type Slirp, startSlirp } from './slirp.js';

/** The descriptors bwrap gets: its options, its info (the sandbox's pid), the gate, then files. */
const ARGS_FD = 3;
const INFO_FD = 4;
const BLOCK_FD = 5;
const FIRST_FILE_FD = 6;

export interface SandboxLaunchInput {
  programs: Programs;
  view: HostView;
  limits: StepLimits;
  tmpBytes: number;
  workspace: string;
  home: string;
  readOnly: string[];
  network: BuildNetwork;
  cwd: string;
  env: Record<string, string>;
  command: string;
  user: { uid: number; gid: number } | undefined;
  cgroup: StepCgroup | undefined;
  /** Called when the sandbox cannot be set up (slirp4netns missing, bwrap refusing an option). */
  fail(err: Error): void;
}

/** Reads bwrap's `--info-fd` JSON up to the sandbox's pid (the first process of its namespaces). */
function sandboxPid(info: Duplex): Promise<number> {
  return new Promise((resolve, reject) => {
    let text = '';
    info.setEncoding('utf8');
    info.on('data', (chunk: string) => {
      text += chunk;
      const pid = /"child-pid":\s*(\d+)/.exec(text)?.[1];
      if (pid) resolve(Number(pid));
    });
    info.once('close', () => reject(new Error('bwrap exited before the sandbox was set up')));
  });
}

/**
 * How bwrap starts one step (process.ts runs it): the options on a descriptor, the generated /etc
 * files on descriptors, and a gate bwrap waits on before it runs the step, opened once the sandbox's
 * processes are in the step's cgroup and its network is up. `cleanUp` stops slirp4netns.
 */
export function sandboxLaunch(input: SandboxLaunchInput): { launch: Launch; cleanUp(): Promise<void> } {
  const files = Object.entries(etcFiles(input.home, input.network));
  const options = bwrapOptions({
    ...input,
    files: Object.fromEntries(files.map(([path], i) => [path, FIRST_FILE_FD + i])),
    infoFd: INFO_FD,
    blockFd: BLOCK_FD,
  });
  let setUp: Promise<Slirp | undefined> = Promise.resolve(undefined);
  const launch: Launch = {
    argv: [
      input.programs.bwrap,
      ...['--args', String(ARGS_FD)],
      ...limitedCommand(input.programs, input.command, input.limits, input.cgroup !== undefined),
    ],
    env: {},
    extraPipes: FIRST_FILE_FD - ARGS_FD + files.length,
    ...(input.user ? { user: input.user } : {}),
    onSpawn: (child) => {
      const pipe = (fd: number) => child.stdio[fd] as Duplex;
      for (const stream of child.stdio.slice(ARGS_FD)) stream?.on('error', () => undefined);
      pipe(ARGS_FD).end(`${options.join('\0')}\0`);
      files.forEach(([, content], i) => pipe(FIRST_FILE_FD + i).end(content));
      setUp = sandboxPid(pipe(INFO_FD)).then(async (pid) => {
        await input.cgroup?.add(pid);
        const slirp =
          input.network === 'egress' ? await startSlirp(pid, input.programs.slirp4netns) : undefined;
        pipe(BLOCK_FD).end('1');
        return slirp;
      });
      setUp.catch(input.fail);
    },
  };
  const cleanUp = async () => {
    const slirp = await setUp.catch(() => undefined);
    await slirp?.stop();
  };
  return { launch, cleanUp };
}
