import { rm, stat } from 'node:fs/promises';
import type { Application } from '@gitops/config';
import { AppError, describeError } from '@gitops/errors';
import type { DataPath } from './data-dir.js';
import { BuildFailure } from './errors.js';
import type { BuiltImage, ImageDriver } from './image/driver.js';
import { readRepoFile, requirePathInside } from './safe-path.js';

/** Picks the driver for an application's preference and Dockerfile (src/image). */
export type DriverFactory = (preference: Application['build']['driver'], dockerfile: string) => ImageDriver;

export interface ImageInput {
  application: Application;
  /** The checkout. */
  src: string;
  output: DataPath;
  sha: string;
  commitTime: Date;
  signal: AbortSignal;
  log(line: string): void;
  createDriver: DriverFactory;
}

export interface LaidOutImage extends BuiltImage {
  /** The OCI layout, relative to GITOPS_DATA_DIR. */
  layout: string;
}

/** A URL fit for a label: credentials someone wrote into it do not go into the image. */
function publicUrl(url: string): string {
  if (!URL.canParse(url)) return url;
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  return parsed.toString();
}

/** The OCI labels every image gets: where its source is, which commit, and when (the commit's time). */
export const imageLabels = (repoURL: string, sha: string, commitTime: Date) => ({
  'org.opencontainers.image.source': publicUrl(repoURL),
  'org.opencontainers.image.revision': sha,
  'org.opencontainers.image.created': commitTime.toISOString(),
});

async function contextOf(input: ImageInput): Promise<{ contextDir: string; dockerfile: string }> {
  const { context, dockerfile } = input.application.build;
  const contextDir = await requirePathInside(input.src, context, 'build context (spec.build.context)');
  if (!(await stat(contextDir)).isDirectory()) {
    throw new BuildFailure(`build context "${context}" is not a directory`, 'invalid-config');
  }
  const text = await readRepoFile(contextDir, dockerfile, 'Dockerfile (spec.build.dockerfile)');
  if (text === undefined)
    throw new BuildFailure(
      `no Dockerfile at ${dockerfile} in the build context ${context}`,
      'invalid-config',
    );
  return { contextDir, dockerfile: text };
}

/** A driver's refusal (a RUN for the native driver, an oversized context) fails the build; a network fault is retried. */
const imageFailure = (err: unknown) =>
  err instanceof AppError && err.retryable ? err : new BuildFailure(describeError(err), 'image', 'image');

/**
 * Builds the image of the checked-out commit into the pipeline's OCI layout. The layout is
 * removed again if the build fails, so the pusher never finds half an image.
 */
export async function buildImage(input: ImageInput): Promise<LaidOutImage> {
  const { contextDir, dockerfile } = await contextOf(input).catch((err) => {
    throw err instanceof BuildFailure ? err.inStep('image') : err;
  });
  const { application, output } = input;
  await rm(output.path, { recursive: true, force: true });
  try {
    const driver = input.createDriver(application.build.driver, dockerfile);
    input.log(
      `==> image: ${driver.name} driver, context ${application.build.context}, ${application.build.dockerfile}`,
    );
    const built = await driver.build({
      app: application.name,
      contextDir,
      dockerfile: application.build.dockerfile,
      commitTime: input.commitTime,
      labels: imageLabels(application.source.repoURL, input.sha, input.commitTime),
      outputDir: output.path,
      network: application.build.network,
      signal: input.signal,
      log: input.log,
    });
    input.log(`<== image ${built.digest} (${built.size} bytes) in ${output.relative}`);
    return { ...built, layout: output.relative };
  } catch (err) {
    await rm(output.path, { recursive: true, force: true });
    throw imageFailure(err);
  }
}
