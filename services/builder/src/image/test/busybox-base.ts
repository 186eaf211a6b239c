import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
/** Debian's busybox-static: one static binary, so a root filesystem is that file and its applet links. */
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'echo', 'cat', 'sleep', 'ls', 'mkdir', 'false'];

/**
 * Imports a tiny busybox root filesystem as an image (`buildah from scratch` + `add` + `commit`, in a
 * storage of its own under `workDir`) and pushes it to a plain-HTTP registry as `imageRef`. Takes
 * about half a second, so nothing is cached between runs.
 */
export async function pushBusyboxBase(imageRef: string, workDir: string): Promise<void> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-busybox-rootfs-'));
  const storage = [
    '--storage-driver',
    'vfs',
    '--root',
    join(workDir, 'root'),
    '--runroot',
    join(workDir, 'runroot'),
  ];
  const buildah = async (...args: string[]) => (await run('buildah', [...storage, ...args])).stdout.trim();
  try {
    await mkdir(join(root, 'bin'));
    await copyFile(BUSYBOX, join(root, 'bin', 'busybox'));
    for (const applet of APPLETS) await symlink('busybox', join(root, 'bin', applet));
    const container = await buildah('from', 'scratch');
    await buildah('add', container, `${root}/`, '/');
    await buildah('config', '--env', 'PATH=/bin', '--cmd', '/bin/sh', container);
    await buildah('commit', '--quiet', '--rm', container, 'localhost/busybox-base:test');
    await buildah(
      'push',
      '--quiet',
      '--tls-verify=false',
      'localhost/busybox-base:test',
      `docker://${imageRef}`,
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}
