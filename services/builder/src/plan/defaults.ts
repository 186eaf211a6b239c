import { pathInside, readRepoFile } from '../safe-path.js';
import type { PlannedStep } from './types.js';

/** What `npm init` writes: a test script that only fails. */
const NPM_PLACEHOLDER_TEST = /no test specified/;
const LOCKFILES = ['package-lock.json', 'npm-shrinkwrap.json'];

/** The test script of `package.json`, if it has a real one. An unreadable file has none: `npm ci` will say why. */
function testScript(text: string): string | undefined {
  try {
    const script = (JSON.parse(text) as { scripts?: Record<string, unknown> }).scripts?.test;
    return typeof script === 'string' && !NPM_PLACEHOLDER_TEST.test(script) ? script : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The steps of a repository without `.gitops.yaml`: for a Node project, `npm ci` when it has a
 * lockfile and `npm test` when it has a test script; nothing for anything else.
 */
export async function defaultSteps(src: string): Promise<PlannedStep[]> {
  const manifest = await readRepoFile(src, 'package.json', 'package.json');
  if (manifest === undefined) return [];
  const steps: PlannedStep[] = [];
  for (const lockfile of LOCKFILES) {
    if (await pathInside(src, lockfile, lockfile)) {
      steps.push({ name: 'install', run: 'npm ci', env: {}, workdir: '.' });
      break;
    }
  }
  if (testScript(manifest)) steps.push({ name: 'test', run: 'npm test', env: {}, workdir: '.' });
  return steps;
}
