import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { delimiter, join, relative } from 'node:path';
import { resolveInside } from '@gitops/fs';
import { renderFailed } from '../errors.js';
import { checkKustomizationRefs, kustomizationIn } from './kustomization-refs.js';
import type { KubeObject } from './objects.js';
import { parseManifests } from './parse.js';

export interface RenderRequest {
  /** The checkout of the config repository. */
  root: string;
  /** The environment's path inside it. */
  path: string;
  /** The kustomize command: `KUSTOMIZE_BIN`, else `kustomize` on PATH, else `kubectl kustomize`. */
  kustomize: string[];
  /** The largest rendered output accepted, in bytes. */
  maxBytes: number;
}

/** What KUSTOMIZE_BIN names (a command, possibly with arguments), else what PATH offers. */
export async function kustomizeCommand(
  configured: string | undefined,
  path = process.env.PATH ?? '',
): Promise<string[]> {
  if (configured?.trim()) return configured.trim().split(/\s+/);
  for (const dir of path.split(delimiter).filter(Boolean)) {
    if (
      await readFile(join(dir, 'kustomize')).then(
        () => true,
        () => false,
      )
    )
      return ['kustomize'];
  }
  return ['kubectl', 'kustomize'];
}

const MANIFEST = /\.(ya?ml|json)$/i;

async function plainFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries
      .sort((a, b) => a.name.localeCompare(b.name))
      .map(async (entry) => {
        const full = join(dir, entry.name);
        if (entry.isDirectory()) return entry.name.startsWith('.') ? [] : plainFiles(full);
        return MANIFEST.test(entry.name) ? [full] : [];
      }),
  );
  return nested.flat();
}

function runKustomize(request: RenderRequest, dir: string): Promise<string> {
  const [bin, ...args] = request.kustomize;
  const buildArgs =
    bin === 'kubectl' || args.includes('kustomize') ? [...args, dir] : [...args, 'build', dir];
  return new Promise((resolvePromise, reject) => {
    execFile(
      bin!,
      buildArgs,
      {
        cwd: request.root,
        maxBuffer: request.maxBytes + 1,
        timeout: 120_000,
        env: { PATH: process.env.PATH ?? '', HOME: request.root },
      },
      (err, stdout, stderr) => {
        if (!err) return resolvePromise(stdout);
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'ENOENT')
          return reject(renderFailed(`${request.path}: ${bin} is not installed (set KUSTOMIZE_BIN)`));
        if (code === 'ERR_CHILD_PROCESS_STDIO_MAXBUFFER') {
          return reject(
            renderFailed(`${request.path}: the rendered manifests exceed ${request.maxBytes} bytes`),
          );
        }
        const message = (stderr || err.message).trim().replace(/^Error: /, '');
        reject(renderFailed(`${request.path}: kustomize: ${message}`));
      },
    );
  });
}

/**
 * The environment's manifests: a kustomization built by the real kustomize (remote and outside
 * references refused first), or a folder of plain YAML read recursively, multi-document.
 */
export async function render(request: RenderRequest): Promise<KubeObject[]> {
  const dir = await resolveInside(request.root, request.path, {
    what: 'environment path',
    within: 'the repository',
  }).catch((err: Error) => {
    throw renderFailed(err.message, err);
  });
  if (await kustomizationIn(dir)) {
    await checkKustomizationRefs(request.root, dir);
    return parseManifests(await runKustomize(request, dir), request.path);
  }
  const files = await plainFiles(dir).catch((err: NodeJS.ErrnoException) => {
    throw renderFailed(
      `${request.path}: ${err.code === 'ENOENT' ? 'no such folder in the repository' : err.message}`,
    );
  });
  let bytes = 0;
  const objects: KubeObject[] = [];
  for (const file of files) {
    // A symlinked file is read only when it stays inside the repository.
    await resolveInside(request.root, relative(request.root, file), {
      what: 'manifest',
      within: 'the repository',
    }).catch((err: Error) => {
      throw renderFailed(err.message, err);
    });
    const text = await readFile(file, 'utf8');
    bytes += Buffer.byteLength(text);
    if (bytes > request.maxBytes)
      throw renderFailed(`${request.path}: the manifests exceed ${request.maxBytes} bytes`);
    objects.push(...parseManifests(text, relative(request.root, file)));
  }
  return objects;
}
