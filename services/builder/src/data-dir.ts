import { access } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import { normaliseRepoUrl } from '@gitops/config';
import { pathProblem } from '@gitops/fs';
import { builderErrors } from './errors.js';

/** A directory name the builder derives from event data; anything else could walk out of the tree. */
const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export const isSafeName = (name: string) => SAFE_NAME.test(name) && !name.includes('..');

/** A path under the data directory, both absolute and as the events carry it (relative). */
export interface DataPath {
  path: string;
  relative: string;
}

/**
 * The layout of GITOPS_DATA_DIR the builder owns (docs/builder.md). The image pusher reads
 * `images/` and the log API reads `logs/`, so every path is computed here and nowhere else.
 */
export class DataDir {
  readonly root: string;

  constructor(root: string) {
    this.root = resolve(root);
  }

  #at(relative: string): DataPath {
    return { path: join(this.root, relative), relative };
  }

  /** `mirrors/<host>/<path>.git`: one bare repository per source repository, shared by its builds. */
  mirror(repoURL: string): string {
    const key = normaliseRepoUrl(repoURL);
    const problem = pathProblem(key, 'mirrors/');
    if (problem)
      throw new Error(`repository URL ${repoURL} does not name a mirror directory: "${key}" ${problem}`);
    return join(this.root, 'mirrors', `${key}.git`);
  }

  /** `workspaces/<pipelineId>`: the build's checkout and its HOME and TMPDIR, removed after the build. */
  workspace(pipelineId: string): string {
    return join(this.root, 'workspaces', checked(pipelineId));
  }

  /** `images/<app>/<pipelineId>`: the OCI image layout the pusher reads. */
  image(app: string, pipelineId: string): DataPath {
    return this.#at(join('images', checked(app), checked(pipelineId)));
  }

  /** `logs/<app>/<pipelineId>/build.log`: the build log, its `logRef`. */
  log(app: string, pipelineId: string): DataPath {
    return this.#at(join('logs', checked(app), checked(pipelineId), 'build.log'));
  }

  /** `results/<app>/<pipelineId>.json`: the published result, replayed instead of rebuilding. */
  result(app: string, pipelineId: string): string {
    return join(this.root, 'results', checked(app), `${checked(pipelineId)}.json`);
  }

  /** The log of a pipeline of any of `apps`, or undefined when there is none. */
  async findLog(pipelineId: string, apps: Iterable<string>): Promise<string | undefined> {
    if (!isSafeName(pipelineId)) return undefined;
    for (const app of apps) {
      const { path } = this.log(app, pipelineId);
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        return path;
    }
    return undefined;
  }
}

function checked(name: string): string {
  if (!isSafeName(name) || isAbsolute(name)) throw builderErrors.unsafeName(name);
  return name;
}
