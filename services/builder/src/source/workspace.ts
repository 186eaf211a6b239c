import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';

/** A build's own directory: the checkout, and the HOME and TMPDIR its steps get. */
export interface Workspace {
  root: string;
  /** The checkout at the pushed commit. */
  src: string;
  home: string;
  tmp: string;
}

/** Removes whatever an earlier attempt of the same pipeline left, then lays out a fresh workspace. */
export async function createWorkspace(root: string): Promise<Workspace> {
  await removeWorkspace(root);
  const workspace = { root, src: join(root, 'src'), home: join(root, 'home'), tmp: join(root, 'tmp') };
  await mkdir(workspace.home, { recursive: true });
  await mkdir(workspace.tmp, { recursive: true });
  return workspace;
}

/**
 * Gives the workspace to the user the sandbox runs steps as (a root builder's steps run as uid 1000:
 * src/sandbox), after the checkout and before the first step, so steps can write to it. The builder,
 * root, still reads and removes it afterwards; nothing of a step runs any more by then.
 */
export async function handOver(root: string, owner: { uid: number; gid: number }): Promise<void> {
  await promisify(execFile)('chown', ['-R', '--no-dereference', `${owner.uid}:${owner.gid}`, root]);
}

/**
 * Removes a workspace whatever its steps left in it. Some tools write read-only directories (Go's
 * module cache), which `rm` cannot empty, so write permission is given back first on failure.
 */
export async function removeWorkspace(root: string): Promise<void> {
  try {
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  } catch {
    await promisify(execFile)('chmod', ['-R', 'u+rwx', root]).catch(() => undefined);
    await rm(root, { recursive: true, force: true, maxRetries: 3 });
  }
}
