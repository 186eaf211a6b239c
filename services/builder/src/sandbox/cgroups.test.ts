import { mkdir, mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StepCgroups, cgroup2Mount } from './cgroups.js';

const HYBRID = `25 30 0:22 / /sys/fs/cgroup ro,nosuid - tmpfs tmpfs ro,mode=755
26 25 0:23 / /sys/fs/cgroup/unified rw,nosuid,nodev,noexec,relatime - cgroup2 cgroup2 rw,nsdelegate
27 25 0:24 / /sys/fs/cgroup/memory rw,nosuid - cgroup cgroup rw,memory`;

/** A /proc/self and a cgroup2 tree of plain files, as the kernel would show them, under a temp directory. */
async function fakeHost(controllers: string) {
  const root = await mkdtemp(join(tmpdir(), 'builder-cgroups-'));
  const own = join(root, 'cgroup', 'system.slice', 'builder.service');
  await mkdir(own, { recursive: true });
  await writeFile(join(own, 'cgroup.controllers'), `${controllers}\n`);
  await writeFile(join(own, 'cgroup.subtree_control'), '');
  await mkdir(join(root, 'proc'));
  await writeFile(join(root, 'proc', 'cgroup'), '0::/system.slice/builder.service\n');
  await writeFile(
    join(root, 'proc', 'mountinfo'),
    `30 1 0:25 / ${join(root, 'cgroup')} rw,nosuid - cgroup2 cgroup2 rw,nsdelegate\n`,
  );
  return { proc: join(root, 'proc'), own };
}

describe('step cgroups', () => {
  it('finds the cgroup v2 mount of a hybrid host', () => {
    expect(cgroup2Mount(HYBRID)).toBe('/sys/fs/cgroup/unified');
    expect(cgroup2Mount('25 30 0:22 / /sys/fs/cgroup ro - tmpfs tmpfs ro')).toBeUndefined();
  });

  it('are not used where the builder cgroup lacks the memory, cpu or pids controller', async () => {
    const { proc } = await fakeHost('cpuset cpu io pids');
    expect(await StepCgroups.detect(proc, 4242)).toBeUndefined();
  });

  it('move the builder into a leaf, enable the controllers, and give each step its limits', async () => {
    const { proc, own } = await fakeHost('cpuset cpu io memory pids');
    const cgroups = await StepCgroups.detect(proc, 4242);
    expect(cgroups).toBeDefined();
    expect(await readFile(join(own, 'builder', 'cgroup.procs'), 'utf8')).toBe('4242');
    expect(await readFile(join(own, 'cgroup.subtree_control'), 'utf8')).toBe('+memory +cpu +pids');
    const step = await cgroups!.create({ memoryBytes: 1024, cpus: 1.5, processes: 64 });
    await step.add(777);
    const [dir] = (await readdir(own)).filter((name) => name.startsWith('step-'));
    const read = (file: string) => readFile(join(own, dir!, file), 'utf8');
    expect(await read('memory.max')).toBe('1024');
    expect(await read('cpu.max')).toBe('150000 100000');
    expect(await read('pids.max')).toBe('64');
    expect(await read('cgroup.procs')).toBe('777');
  });
});
