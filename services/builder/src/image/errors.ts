import { AppError, isAppError } from '@gitops/errors';

/** The codes the image drivers throw, documented in ./README.md. */
export const ImageErrorCodes = {
  dockerfileInvalid: 'GITOPS_BUILD_DOCKERFILE_INVALID',
  dockerfileMissing: 'GITOPS_BUILD_DOCKERFILE_MISSING',
  dockerignoreInvalid: 'GITOPS_BUILD_DOCKERIGNORE_INVALID',
  nativeUnsupported: 'GITOPS_BUILD_NATIVE_UNSUPPORTED',
  contextSymlink: 'GITOPS_BUILD_CONTEXT_SYMLINK',
  contextEscape: 'GITOPS_BUILD_CONTEXT_ESCAPE',
  contextTooLarge: 'GITOPS_BUILD_CONTEXT_TOO_LARGE',
  sourceNotFound: 'GITOPS_BUILD_SOURCE_NOT_FOUND',
  baseImage: 'GITOPS_BUILD_BASE_IMAGE',
  buildahMissing: 'GITOPS_BUILD_BUILDAH_MISSING',
  buildahFailed: 'GITOPS_BUILD_BUILDAH_FAILED',
  cancelled: 'GITOPS_BUILD_CANCELLED',
} as const;

/**
 * The image drivers' errors (documented in ./README.md). None is retryable except a base image
 * pull that failed on the network: the same commit and Dockerfile fail the same way again.
 */
export const imageErrors = {
  dockerfileInvalid: (line: number, message: string) =>
    new AppError(ImageErrorCodes.dockerfileInvalid, `Dockerfile line ${line}: ${message}`),
  dockerfileMissing: (path: string) =>
    new AppError(ImageErrorCodes.dockerfileMissing, `no Dockerfile at ${path} in the build context`),
  dockerignoreInvalid: (line: number, pattern: string, cause: unknown) =>
    new AppError(
      ImageErrorCodes.dockerignoreInvalid,
      `.dockerignore line ${line}: ${JSON.stringify(pattern)} is not a valid pattern`,
      { cause },
    ),
  nativeUnsupported: (line: number, what: string) =>
    new AppError(
      ImageErrorCodes.nativeUnsupported,
      `Dockerfile line ${line}: ${what} is not supported by the native image driver; use the buildah driver (build.driver: buildah) for it`,
    ),
  contextSymlink: (path: string, target: string) =>
    new AppError(
      ImageErrorCodes.contextSymlink,
      `symlink ${path} in the build context points outside it (to ${target})`,
    ),
  contextEscape: (what: string, path: string) =>
    new AppError(ImageErrorCodes.contextEscape, `${what} ${path} is outside the build context`),
  contextTooLarge: (limit: number) =>
    new AppError(
      ImageErrorCodes.contextTooLarge,
      `the build context is larger than ${limit} bytes (after .dockerignore)`,
    ),
  sourceNotFound: (line: number, source: string) =>
    new AppError(
      ImageErrorCodes.sourceNotFound,
      `Dockerfile line ${line}: ${source} is not in the build context (missing or excluded by .dockerignore)`,
    ),
  baseImage: (name: string, cause: unknown) =>
    new AppError(
      ImageErrorCodes.baseImage,
      `cannot pull base image ${name}: ${cause instanceof Error ? cause.message : String(cause)}`,
      // A registry that answered (not found, denied) answers the same again; a network failure may not.
      { cause, retryable: isAppError(cause) ? cause.retryable : true },
    ),
  unsupportedLayer: (digest: string, mediaType: string) =>
    new AppError(ImageErrorCodes.baseImage, `layer ${digest} has the unsupported media type ${mediaType}`),
  buildahMissing: (cause: unknown) =>
    new AppError(
      ImageErrorCodes.buildahMissing,
      'buildah is not installed (Debian: apt-get install -y buildah)',
      { cause },
    ),
  buildahFailed: (message: string) => new AppError(ImageErrorCodes.buildahFailed, message),
  cancelled: (reason: unknown) =>
    new AppError(ImageErrorCodes.cancelled, 'the image build was cancelled', { cause: reason }),
};
