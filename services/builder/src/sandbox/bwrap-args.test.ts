import { describe, expect, it } from 'vitest';
import { type SandboxSpec, bwrapOptions } from './bwrap-args.js';
import { etcFiles } from './etc-files.js';
import { limitedCommand } from './limits.js';

const spec = (extra: Partial<SandboxSpec> = {}): SandboxSpec => ({
  view: {
    readOnly: ['/usr', '/etc/ssl', '/etc/alternatives'],
    links: [['usr/bin', '/bin']],
    path: '/usr/bin:/bin',
  },
  workspace: '/data/workspaces/p1',
  readOnly: ['/data/mirrors/git.test/acme/app.git'],
  cwd: '/data/workspaces/p1/src',
  env: { PATH: '/usr/bin:/bin', TOKEN: 'value with spaces' },
  network: 'none',
  files: { '/etc/passwd': 6, '/etc/group': 7 },
  infoFd: 4,
  blockFd: 5,
  tmpBytes: 1024,
  ...extra,
});

/** The operands of every occurrence of `flag` in `args`. */
const operands = (args: string[], flag: string, count: number) =>
  args.flatMap((arg, i) => (arg === flag ? [args.slice(i + 1, i + 1 + count)] : []));

describe('the options bwrap gets for a step', () => {
  it("unshares every namespace, drops to the sandbox user and clears the environment before setting the step's", () => {
    const args = bwrapOptions(spec());
    expect(args.slice(0, 3)).toEqual(['--unshare-all', '--unshare-user', '--disable-userns']);
    expect(args).toEqual(expect.arrayContaining(['--die-with-parent', '--new-session', '--clearenv']));
    expect(operands(args, '--uid', 1)).toEqual([['1000']]);
    expect(operands(args, '--gid', 1)).toEqual([['1000']]);
    expect(args.indexOf('--clearenv')).toBeLessThan(args.indexOf('--setenv'));
    expect(operands(args, '--setenv', 2)).toEqual([
      ['PATH', '/usr/bin:/bin'],
      ['TOKEN', 'value with spaces'],
    ]);
  });

  it('binds the workspace alone read-write, the system and the mirror read-only, and remounts the root read-only', () => {
    const args = bwrapOptions(spec());
    expect(operands(args, '--bind', 2)).toEqual([['/data/workspaces/p1', '/data/workspaces/p1']]);
    expect(operands(args, '--ro-bind', 2).map(([from]) => from)).toEqual([
      '/usr',
      '/etc/ssl',
      '/etc/alternatives',
      '/data/mirrors/git.test/acme/app.git',
    ]);
    expect(operands(args, '--ro-bind-data', 2)).toEqual([
      ['6', '/etc/passwd'],
      ['7', '/etc/group'],
    ]);
    expect(args.join(' ')).not.toMatch(/shadow|\/proc \/proc|--dev \//);
    expect(operands(args, '--remount-ro', 1)).toEqual([['/']]);
    expect(operands(args, '--chdir', 1)).toEqual([['/data/workspaces/p1/src']]);
  });

  it('mounts a fresh /proc, a /dev of harmless devices and a private /tmp of a fixed size', () => {
    const args = bwrapOptions(spec());
    expect(operands(args, '--proc', 1)).toEqual([['/proc']]);
    expect(operands(args, '--dev-bind', 2).map(([from]) => from)).toEqual([
      '/dev/null',
      '/dev/zero',
      '/dev/full',
      '/dev/random',
      '/dev/urandom',
    ]);
    expect(args.join(' ')).toContain('--size 1024 --perms 1777 --tmpfs /tmp');
  });

  it('keeps one user namespace for slirp4netns to join with egress, and waits on the gate either way', () => {
    const args = bwrapOptions(spec({ network: 'egress' }));
    expect(args).not.toContain('--disable-userns');
    expect(args).toContain('--unshare-all');
    expect(args.slice(-4)).toEqual(['--info-fd', '4', '--block-fd', '5']);
  });
});

describe('the files a sandbox gets generated', () => {
  it('names the step user with its HOME, and points DNS at slirp4netns with egress only', () => {
    const none = etcFiles('/ws/home', 'none');
    expect(none['/etc/passwd']).toContain('build:x:1000:1000:build step:/ws/home:/bin/sh');
    expect(none['/etc/group']).toContain('build:x:1000:');
    expect(none['/etc/hosts']).toContain('127.0.0.1\tlocalhost');
    expect(Object.keys(none)).not.toContain('/etc/resolv.conf');
    expect(etcFiles('/ws/home', 'egress')['/etc/resolv.conf']).toBe('nameserver 10.0.2.3\n');
  });
});

describe('the limits of a step', () => {
  const programs = { prlimit: '/usr/bin/prlimit', nice: '/usr/bin/nice', sh: '/usr/bin/sh' };
  const limits = { workspaceBytes: 2048, memoryBytes: 4096, cpus: 2, processes: 100 };

  it('caps files, memory and processes per process with rlimits, at a lower priority, without a cgroup', () => {
    expect(limitedCommand(programs, 'npm test', limits, false)).toEqual([
      ...['/usr/bin/prlimit', '--fsize=2048', '--core=0', '--data=4096', '--nproc=100', '--'],
      ...['/usr/bin/nice', '-n', '10', '/usr/bin/sh', '-c', 'npm test'],
    ]);
  });

  it('leaves memory, CPU and processes to the step cgroup when there is one', () => {
    expect(limitedCommand(programs, 'npm test', limits, true)).toEqual([
      ...['/usr/bin/prlimit', '--fsize=2048', '--core=0', '--'],
      ...['/usr/bin/sh', '-c', 'npm test'],
    ]);
  });
});
