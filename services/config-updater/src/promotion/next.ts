import type { Application, Environment } from '@gitops/config';
import { parseImageRef } from '../edit/image-ref.js';

/** The environment a healthy deploy of `environment` leads to, when it is reached by promotion. */
export function nextEnvironment(app: Application, environment: string): Environment | undefined {
  const envs = app.config.environments;
  const index = envs.findIndex((env) => env.name === environment);
  const next = index === -1 ? undefined : envs[index + 1];
  return next && next.promotion !== 'none' ? next : undefined;
}

/** The version tag of image.pushed's tags: the first that is not the `sha-<commit>` tag. */
export const versionTagOf = (tags: string[]): string | undefined =>
  tags.find((tag) => !tag.startsWith('sha-')) ?? tags[0];

const DIGEST = /^sha256:[0-9a-f]{64}$/;

/** `repo@sha256:…` split into repository and digest; undefined for a reference without a digest. */
export function pinnedImage(image: string): { repository: string; digest: string } | undefined {
  const ref = parseImageRef(image);
  return ref.digest && DIGEST.test(ref.digest)
    ? { repository: ref.repository, digest: ref.digest }
    : undefined;
}
