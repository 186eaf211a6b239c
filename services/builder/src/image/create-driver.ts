import { isAppError } from '@gitops/errors';
import type { Logger } from '@gitops/telemetry';
import { BuildahImageDriver } from './buildah/buildah-driver.js';
import { DEFAULT_CONTEXT_MAX_BYTES } from './context/walk.js';
import { checkNative, parseDockerfile } from './dockerfile/dockerfile.js';
import type { ImageDriver } from './driver.js';
import { NativeImageDriver } from './native/native-driver.js';

export type DriverPreference = 'auto' | 'native' | 'buildah';

export interface ImageDriverOptions {
  /** GITOPS_DATA_DIR: the base-layer cache (`cache/`) and buildah's storage (`buildah/`) live here. */
  dataDir: string;
  /** REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD (docs/configuration.md): where base images come from. */
  env: NodeJS.ProcessEnv;
  /** The largest build context, in bytes, after `.dockerignore` (default 500 MiB). */
  contextMaxBytes?: number;
  logger?: Logger;
}

/**
 * The driver for a Dockerfile: 'auto' takes the native driver when it can build the Dockerfile and
 * buildah otherwise; 'native' throws GITOPS_BUILD_NATIVE_UNSUPPORTED naming the first line it cannot
 * build (a RUN, say). A Dockerfile that does not parse throws GITOPS_BUILD_DOCKERFILE_INVALID.
 */
export function createImageDriver(
  preference: DriverPreference,
  dockerfileText: string,
  options: ImageDriverOptions,
): ImageDriver {
  const resolved = { ...options, contextMaxBytes: options.contextMaxBytes ?? DEFAULT_CONTEXT_MAX_BYTES };
  if (preference === 'buildah') return new BuildahImageDriver(resolved);
  const instructions = parseDockerfile(dockerfileText);
  try {
    checkNative(instructions);
    return new NativeImageDriver(resolved);
  } catch (err) {
    if (preference === 'native' || !isAppError(err)) throw err;
    options.logger?.info(
      { reason: err.message },
      'image driver: buildah, the native driver cannot build this Dockerfile',
    );
    return new BuildahImageDriver(resolved);
  }
}
