import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { registryFor } from '@gitops/oci';
import type { ImageConfig } from '../native/image-config.js';

const run = promisify(execFile);

/** Pushes an OCI layout to a plain-HTTP registry with skopeo, keeping its manifest digest. */
export async function pushLayout(layoutDir: string, imageRef: string): Promise<void> {
  await run('skopeo', [
    'copy',
    '--quiet',
    '--preserve-digests',
    '--dest-tls-verify=false',
    `oci:${layoutDir}`,
    `docker://${imageRef}`,
  ]);
}

/**
 * Pulls an image back from the registry: its manifest digest, manifest, config, and each layer
 * downloaded into `dir` (paths in `layerFiles`).
 */
export async function pullImage(imageRef: string, env: NodeJS.ProcessEnv) {
  const { client, repository, ref } = registryFor(imageRef, env);
  const { digest, manifest } = await client.getManifest(repository, ref.reference);
  const dir = await mkdtemp(join(tmpdir(), 'gitops-pulled-'));
  const configFile = join(dir, 'config.json');
  await client.downloadBlob(repository, manifest.config.digest, configFile);
  const config = JSON.parse(await readFile(configFile, 'utf8')) as ImageConfig;
  const layerFiles: string[] = [];
  for (const [i, layer] of manifest.layers.entries()) {
    const file = join(dir, `layer-${i}.tar.gz`);
    await client.downloadBlob(repository, layer.digest, file);
    layerFiles.push(file);
  }
  return { digest, manifest, config, layerFiles, dispose: () => rm(dir, { recursive: true, force: true }) };
}
