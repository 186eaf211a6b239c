import { dirname, relative } from 'node:path';
import type { DataDir } from '../data-dir.js';

/**
 * What a pipeline's build uses while it runs, relative to the data directory: its workspace, its
 * layout, its log and its repository's mirror. The build holds a lease on them from before the log
 * is opened until its result is recorded; the image pusher holds the layout while it pushes it.
 */
export function pipelineEntries(
  dataDir: DataDir,
  app: string,
  pipelineId: string,
  repoURL?: string,
): string[] {
  const entries = [
    relative(dataDir.root, dataDir.workspace(pipelineId)),
    dataDir.image(app, pipelineId).relative,
    dirname(dataDir.log(app, pipelineId).relative),
  ];
  const mirror = repoURL === undefined ? undefined : mirrorOf(dataDir, repoURL);
  return mirror === undefined ? entries : [...entries, mirror];
}

/** A repository URL that names no mirror fails the build at checkout, with its own message. */
function mirrorOf(dataDir: DataDir, repoURL: string): string | undefined {
  try {
    return relative(dataDir.root, dataDir.mirror(repoURL));
  } catch {
    return undefined;
  }
}
