import { constants, access } from 'node:fs/promises';
import { join } from 'node:path';
import { sandboxErrors } from './errors.js';

/** Absolute paths of the programs a sandbox runs: a step's PATH cannot redirect them. */
export interface Programs {
  bwrap: string;
  prlimit: string;
  nice: string;
  sh: string;
  slirp4netns: string;
}

const isExecutable = (file: string) =>
  access(file, constants.X_OK).then(
    () => true,
    () => false,
  );

async function findProgram(name: string, path: string): Promise<string | undefined> {
  for (const dir of path.split(':')) if (await isExecutable(join(dir, name))) return join(dir, name);
  return undefined;
}

/** The programs of a sandbox, found in `path`: without bwrap, prlimit, nice or sh there is none. */
export async function findPrograms(path: string): Promise<Programs> {
  const find = async (name: string) => {
    const file = await findProgram(name, path);
    if (!file) throw sandboxErrors.unavailable(`${name} is not installed`);
    return file;
  };
  const bwrap = await find('bwrap');
  const prlimit = await find('prlimit');
  const nice = await find('nice');
  const sh = await find('sh');
  // Only steps of applications with `network: egress` need it; they fail saying so when it is missing.
  const slirp4netns = (await findProgram('slirp4netns', path)) ?? 'slirp4netns';
  return { bwrap, prlimit, nice, sh, slirp4netns };
}
