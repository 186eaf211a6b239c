import { randomUUID } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type GitServer, git, makeCommit } from '@gitops/testing';

export const REPOSITORY = '127.0.0.1:5000/acme/hello';
export const digestOf = (n: number) => `sha256:${n.toString(16).padStart(64, '0')}`;

export const kustomization = (tag = 'latest') => `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
# The platform pins the image below.
resources:
  - deployment.yaml
images:
  - name: ${REPOSITORY}
    newTag: ${tag}
`;

export interface ConfigRepo {
  url: string;
  /** The bare repository on the server. */
  dir: string;
  /** `git log` of a branch on the server (default main), newest first: sha, parents, subject, trailers. */
  log(branch?: string): Promise<Array<{ sha: string; parents: string[]; subject: string; body: string }>>;
  /** A file as the branch's head has it. */
  show(path: string, branch?: string): Promise<string>;
}

/** A config repository on the test git server with `files` committed on main (and on each of `branches`). */
export async function createConfigRepo(
  server: GitServer,
  files: Record<string, string>,
  branches: string[] = [],
): Promise<ConfigRepo> {
  const repo = await server.createBareRepo(`acme/config-${randomUUID().slice(0, 8)}`);
  const work = await mkdtemp(join(tmpdir(), 'config-seed-'));
  await git(['clone', '-q', repo.url, work]);
  await makeCommit(work, files, 'initial config');
  for (const branch of ['main', ...branches])
    await git(['push', '-q', 'origin', `HEAD:${branch}`], { cwd: work });
  return {
    ...repo,
    log: async (branch = 'main') => {
      const out = await git(['--git-dir', repo.dir, 'log', '--format=%H%x1f%P%x1f%s%x1f%B%x1e', branch]);
      return out
        .split('\x1e')
        .map((r) => r.trim())
        .filter(Boolean)
        .map((r) => {
          const [sha = '', parents = '', subject = '', body = ''] = r.split('\x1f');
          return { sha, parents: parents.split(' ').filter(Boolean), subject, body };
        });
    },
    show: (path, branch = 'main') => git(['--git-dir', repo.dir, 'show', `${branch}:${path}`]),
  };
}
