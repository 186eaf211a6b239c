import type { BuildNetwork } from '@gitops/config';
import { SANDBOX_HOSTNAME, SANDBOX_ID } from './etc-files.js';
import type { HostView } from './host-view.js';

/** Everything one sandboxed step is made of; the descriptors are the child's, from fd 3 on. */
export interface SandboxSpec {
  view: HostView;
  /** Bound read-write at the same path: the build's workspace, the only place a step can write to. */
  workspace: string;
  /** More paths bound read-only at the same path (the repository's mirror, which git's alternates name). */
  readOnly: string[];
  cwd: string;
  /** The step's whole environment. */
  env: Record<string, string>;
  network: BuildNetwork;
  /** Files of the sandbox read from descriptors, by path (generated /etc/passwd, …). */
  files: Record<string, number>;
  /** bwrap writes the sandbox's pid there, then waits for a byte on `blockFd` before running the step. */
  infoFd: number;
  blockFd: number;
  /** The size of the private /tmp (a tmpfs, in memory). */
  tmpBytes: number;
}

/** A /dev made from scratch: no disk, no terminal, no host device but these harmless ones. */
const DEVICES = ['null', 'zero', 'full', 'random', 'urandom'];
const DEV = [
  ...DEVICES.flatMap((name) => ['--dev-bind', `/dev/${name}`, `/dev/${name}`]),
  ...['--perms', '1777', '--tmpfs', '/dev/shm'],
  ...['--symlink', '/proc/self/fd', '/dev/fd'],
  ...['stdin', 'stdout', 'stderr'].flatMap((name, fd) => [
    '--symlink',
    `/proc/self/fd/${fd}`,
    `/dev/${name}`,
  ]),
];

const pairs = (flag: string, entries: [string, string][]) => entries.flatMap(([a, b]) => [flag, a, b]);
const same = (paths: string[]) => paths.map((path): [string, string] => [path, path]);

/**
 * bwrap's options for one step (passed on a descriptor with `--args`, so that no value of the
 * environment shows in the host's process list). Every namespace is new: the step sees its own
 * processes only, and with network `none` only its own loopback. It runs as an unprivileged user
 * with no capability, in a root that is read-only but for the workspace, a private /tmp and
 * /dev/shm. With `none` it cannot create user namespaces of its own either; `egress` keeps one user
 * namespace, which slirp4netns joins to attach the network (docs/builder.md, "Sandbox").
 */
export function bwrapOptions(spec: SandboxSpec): string[] {
  return [
    ...['--unshare-all', '--unshare-user', ...(spec.network === 'none' ? ['--disable-userns'] : [])],
    ...['--die-with-parent', '--new-session', '--hostname', SANDBOX_HOSTNAME],
    ...['--uid', String(SANDBOX_ID), '--gid', String(SANDBOX_ID)],
    ...pairs('--ro-bind', same(spec.view.readOnly)),
    ...pairs('--symlink', spec.view.links),
    ...['--proc', '/proc', ...DEV],
    ...['--size', String(spec.tmpBytes), '--perms', '1777', '--tmpfs', '/tmp'],
    ...pairs('--ro-bind', same(spec.readOnly)),
    ...['--bind', spec.workspace, spec.workspace],
    ...pairs(
      '--ro-bind-data',
      Object.entries(spec.files).map(([path, fd]): [string, string] => [String(fd), path]),
    ),
    ...['--remount-ro', '/', '--chdir', spec.cwd, '--clearenv'],
    ...Object.entries(spec.env).flatMap(([name, value]) => ['--setenv', name, value]),
    ...['--info-fd', String(spec.infoFd), '--block-fd', String(spec.blockFd)],
  ];
}
