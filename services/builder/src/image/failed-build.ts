import { rm } from 'node:fs/promises';
import type { ImageBuildRequest } from './driver.js';
import { imageErrors } from './errors.js';

/**
 * What a driver throws when a build fails: the partial layout is removed first, so the pusher never
 * sees one, and a build stopped by its signal reports GITOPS_BUILD_CANCELLED whatever broke on the way.
 */
export async function discardFailedBuild(request: ImageBuildRequest, err: unknown): Promise<unknown> {
  await rm(request.outputDir, { recursive: true, force: true });
  return request.signal.aborted ? imageErrors.cancelled(request.signal.reason) : err;
}
