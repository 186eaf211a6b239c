import { randomUUID } from 'node:crypto';
import { chmod, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, makeCommit } from '@gitops/testing';
import type { ImageBuildRequest } from '../driver.js';
import { type FixtureEntry, makeContext } from './context-fixture.js';

/** A build request for `contextDir` writing to a new directory under `workDir`; its log lines collect in `lines`. */
export async function buildRequest(
  workDir: string,
  contextDir: string,
  overrides: Partial<ImageBuildRequest> = {},
): Promise<ImageBuildRequest & { lines: string[] }> {
  const lines: string[] = [];
  const outputDir = join(workDir, 'out', randomUUID());
  return {
    app: 'hello',
    contextDir,
    dockerfile: 'Dockerfile',
    commitTime: new Date('2024-05-06T07:08:09Z'),
    labels: {
      'org.opencontainers.image.source': 'http://git.example/acme/hello.git',
      'org.opencontainers.image.revision': 'abc123',
      'org.opencontainers.image.created': '2024-05-06T07:08:09Z',
    },
    outputDir,
    signal: new AbortController().signal,
    log: (line) => lines.push(line),
    lines,
    ...overrides,
  };
}

/**
 * A git repository with one commit of `files` (`executables` get mode 0755); `checkout()` clones it at
 * that commit into a new directory, with new file times, as a build workspace would be.
 */
export async function committedSource(files: Record<string, FixtureEntry>, executables: string[] = []) {
  const repo = await makeContext(files);
  await git(['init', '--quiet', '-b', 'main'], { cwd: repo });
  for (const path of executables) await chmod(join(repo, path), 0o755);
  const sha = await makeCommit(repo, {}, 'sample service');
  const commitTime = new Date(
    Number((await git(['show', '-s', '--format=%ct', sha], { cwd: repo })).trim()) * 1000,
  );
  const checkout = async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gitops-image-checkout-'));
    await git(['clone', '--quiet', repo, dir]);
    await git(['checkout', '--quiet', sha], { cwd: dir });
    return dir;
  };
  return { repo, sha, commitTime, checkout };
}
