/**
 * The builder's image drivers behind one interface (see README.md): `native` builds Dockerfiles
 * without RUN in-process, `buildah` builds any Dockerfile. Errors are AppErrors with GITOPS_BUILD_* codes.
 */
export { createImageDriver, type DriverPreference, type ImageDriverOptions } from './create-driver.js';
export type { Digest } from './digest.js';
export type { BuiltImage, ImageBuildRequest, ImageDriver } from './driver.js';
export { ImageErrorCodes, imageErrors } from './errors.js';
