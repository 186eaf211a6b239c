import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface ListedEntry {
  mode: string;
  owner: string;
  size: number;
  mtime: string;
  name: string;
  linkname?: string;
}

/** A gzipped tar's entries as GNU tar lists them (`tar -tzvv --numeric-owner --full-time`, in UTC). */
export async function listTarGz(file: string): Promise<ListedEntry[]> {
  const { stdout } = await run('tar', ['-tzvf', file, '--numeric-owner', '--full-time'], {
    env: { ...process.env, TZ: 'UTC' },
  });
  return stdout
    .trim()
    .split('\n')
    .map((line) => {
      const [mode = '', owner = '', size = '', date = '', time = '', ...rest] = line.split(/\s+/);
      const [name = '', linkname] = rest.join(' ').split(' -> ');
      return {
        mode,
        owner,
        size: Number(size),
        mtime: `${date} ${time}`,
        name,
        ...(linkname ? { linkname } : {}),
      };
    });
}

/** One file's content from a gzipped tar. */
export async function readFromTarGz(file: string, name: string): Promise<string> {
  const { stdout } = await run('tar', ['-xzOf', file, name]);
  return stdout;
}
