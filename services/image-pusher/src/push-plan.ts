import type { Application } from '@gitops/config';
import type { GitopsEvent } from '@gitops/contracts';
import { AppError } from '@gitops/errors';
import { resolveInside } from '@gitops/fs';
import type { PushPlan } from './ports.js';
import type { ProvenanceInput } from './provenance.js';
import { imageTags } from './tags.js';

type BuildSucceeded = GitopsEvent<'build.succeeded'>;

export const unknownApp = (app: string) =>
  new AppError('GITOPS_IMAGE_UNKNOWN_APP', `no application "${app}" in the application file`, {
    statusCode: 404,
  });

/**
 * The build's layout directory under the data directory, symlinks resolved. A path that leaves it, by
 * `..` or through a symlink, is refused (GITOPS_IMAGE_BAD_LAYOUT): the event names a directory on a
 * volume shared with the builder, and nothing else there is ours to read.
 */
export function layoutDir(dataDir: string, layout: string): Promise<string> {
  return resolveInside(dataDir, layout, {
    what: 'image layout',
    within: 'GITOPS_DATA_DIR',
    code: 'GITOPS_IMAGE_BAD_LAYOUT',
    allowRoot: false,
  });
}

/** What to push for a build, and under which tags. */
export async function planPush(
  event: BuildSucceeded,
  app: Application,
  dataDir: string,
  buildNumber: number,
): Promise<PushPlan> {
  const { image, source, commit } = event.data;
  return {
    layoutDir: await layoutDir(dataDir, image.layout),
    digest: image.digest,
    repository: app.image.repository,
    tags: imageTags(source, commit, buildNumber),
    mountFrom: (image.baseImages ?? []).map((b) => b.name),
  };
}

/** The provenance facts of a build, all from its event: the build ran for durationMs up to the event's time. */
export function provenanceInput(
  event: BuildSucceeded,
  repository: string,
  buildNumber: number,
  builderId: string,
): ProvenanceInput {
  const { data } = event;
  const finished = new Date(event.time);
  return {
    image: { name: repository, digest: data.image.digest },
    builderId,
    app: data.app,
    pipelineId: data.pipelineId,
    buildNumber,
    commit: data.commit,
    source: data.source,
    steps: data.steps,
    baseImages: data.image.baseImages ?? [],
    startedOn: new Date(finished.getTime() - data.durationMs).toISOString(),
    finishedOn: finished.toISOString(),
  };
}
