import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEFAULT_REGISTRY_URL } from '@gitops/oci';

export interface BuildahRegistryConfig {
  /** Added to buildah's environment. */
  env: Record<string, string>;
  /** Added to `buildah bud`. */
  args: string[];
}

/**
 * Writes, into a per-build directory, the registries.conf and auth file `buildah bud` pulls base images
 * with: the REGISTRY_URL host is `insecure` (plain HTTP) only when that URL is http, and only it gets
 * REGISTRY_USERNAME/REGISTRY_PASSWORD (an auth file scoped to the host rather than `--creds`, which
 * would send them to every registry). Unqualified names resolve on Docker Hub, as Docker's do.
 */
export async function writeRegistryConfig(
  dir: string,
  env: NodeJS.ProcessEnv,
): Promise<BuildahRegistryConfig> {
  const url = new URL(env.REGISTRY_URL || DEFAULT_REGISTRY_URL);
  const conf = join(dir, 'registries.conf');
  await writeFile(
    conf,
    [
      'unqualified-search-registries = ["docker.io"]',
      'short-name-mode = "permissive"',
      '[[registry]]',
      `location = ${JSON.stringify(url.host)}`,
      `insecure = ${url.protocol === 'http:'}`,
      '',
    ].join('\n'),
  );
  const result = { env: { CONTAINERS_REGISTRIES_CONF: conf }, args: [] as string[] };
  if (env.REGISTRY_USERNAME) {
    const auth = Buffer.from(`${env.REGISTRY_USERNAME}:${env.REGISTRY_PASSWORD ?? ''}`).toString('base64');
    const authFile = join(dir, 'auth.json');
    await writeFile(authFile, JSON.stringify({ auths: { [url.host]: { auth } } }), { mode: 0o600 });
    result.args.push('--authfile', authFile);
  }
  return result;
}
