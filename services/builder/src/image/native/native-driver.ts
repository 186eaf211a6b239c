import { join } from 'node:path';
import { type ImageManifest, MediaTypes, OciLayoutWriter } from '@gitops/oci';
import { type BuildContext, readContext } from '../context/walk.js';
import type { Digest } from '../digest.js';
import { readDockerfile } from '../dockerfile-path.js';
import { checkNative, parseDockerfile } from '../dockerfile/dockerfile.js';
import { type FromLine, resolveStages } from '../dockerfile/from.js';
import type { BuiltImage, DriverSettings, ImageBuildRequest, ImageDriver } from '../driver.js';
import { discardFailedBuild } from '../failed-build.js';
import { type WrittenLayer, writeLayer } from '../tar/layer-writer.js';
import { type BaseImage, linkBaseLayers, pullBaseImage } from './base-image.js';
import { resolveCopy } from './copy-sources.js';
import { type StagePlan, planStage } from './dockerfile-stage.js';
import type { HistoryEntry, ImageConfig } from './image-config.js';

const HISTORY_COMMENT = 'gitops native image driver';

/**
 * Builds Dockerfiles without RUN in-process, the way ko and jib do: base layers from the registry
 * (cached by digest), one reproducible tar layer per COPY/ADD, and the config merged from the base's.
 * The same commit and context give the same manifest digest.
 */
export class NativeImageDriver implements ImageDriver {
  readonly name = 'native';

  private readonly cacheDir: string;

  constructor(private readonly options: DriverSettings) {
    this.cacheDir = join(options.dataDir, 'cache');
  }

  async build(request: ImageBuildRequest): Promise<BuiltImage> {
    try {
      return await this.run(request);
    } catch (err) {
      throw await discardFailedBuild(request, err);
    }
  }

  private async run(request: ImageBuildRequest): Promise<BuiltImage> {
    const { plan, context, base } = await this.prepare(request);
    const layout = await OciLayoutWriter.create(request.outputDir);
    await linkBaseLayers(base, this.cacheDir, layout);
    const layers = await this.writeLayers(plan, context, layout, request);
    const { digest, size, layerCount } = await writeImage(
      layout,
      base,
      imageConfig(base, plan, layers, request),
      layers,
    );
    request.log(`image ${digest}: ${layerCount} layers, ${size} bytes`);
    const baseImages = base.digest ? [{ name: base.name, digest: base.digest }] : [];
    return { digest, size, baseImages };
  }

  /** Parses the Dockerfile, then walks the context while the base image is pulled, and plans the stage. */
  private async prepare(request: ImageBuildRequest) {
    const { signal, log } = request;
    const instructions = parseDockerfile(await readDockerfile(request.contextDir, request.dockerfile));
    checkNative(instructions);
    const buildArgs = request.buildArgs ?? {};
    const { froms, globalArgs } = resolveStages(instructions, buildArgs);
    const from = froms[0] as FromLine;
    const { contextMaxBytes: maxBytes, env } = this.options;
    const [context, base] = await Promise.all([
      readContext(request.contextDir, { dockerfile: request.dockerfile, maxBytes, signal }),
      pullBaseImage(from.image, { env, cacheDir: this.cacheDir, signal, log }),
    ]);
    log(`build context: ${context.entries.size} entries, ${context.size} bytes`);
    const stage = instructions.slice(from.index + 1);
    const plan = planStage(stage, base.config.config ?? {}, { buildArgs, globalArgs });
    return { plan, context, base };
  }

  private async writeLayers(
    plan: StagePlan,
    context: BuildContext,
    layout: OciLayoutWriter,
    request: ImageBuildRequest,
  ) {
    const mtime = Math.floor(request.commitTime.getTime() / 1000);
    const knownDirs = new Set<string>();
    const layers: WrittenLayer[] = [];
    for (const { copy } of plan.steps) {
      if (!copy) continue;
      const entries = await resolveCopy(copy, context, knownDirs);
      for (const entry of entries) if (entry.type === 'dir') knownDirs.add(entry.path);
      const layer = await writeLayer(layout, entries, { mtime, signal: request.signal });
      request.log(
        `line ${copy.line}: ${copy.keyword} layer ${layer.descriptor.digest} (${entries.length} entries, ${layer.descriptor.size} bytes)`,
      );
      layers.push(layer);
    }
    return layers;
  }
}

/** The base config with the plan's changes, the new layers' diff ids and history, and the request's labels. */
function imageConfig(
  base: BaseImage,
  plan: StagePlan,
  layers: { diffId: string }[],
  request: ImageBuildRequest,
): ImageConfig {
  const created = request.commitTime.toISOString();
  const history: HistoryEntry[] = plan.steps.map((step) => ({
    created,
    created_by: step.createdBy,
    comment: HISTORY_COMMENT,
    ...(step.copy ? {} : { empty_layer: true }),
  }));
  const labels = { ...plan.config.Labels, ...request.labels };
  return {
    created,
    architecture: base.config.architecture,
    os: base.config.os,
    ...(base.config.variant ? { variant: base.config.variant } : {}),
    config: { ...plan.config, ...(Object.keys(labels).length > 0 ? { Labels: labels } : {}) },
    rootfs: { type: 'layers', diff_ids: [...base.config.rootfs.diff_ids, ...layers.map((l) => l.diffId)] },
    history: [...(base.config.history ?? []), ...history],
  };
}

/** Writes config and manifest and lists the manifest in index.json; size counts manifest, config and layers. */
async function writeImage(
  layout: OciLayoutWriter,
  base: BaseImage,
  config: ImageConfig,
  layers: WrittenLayer[],
) {
  const configBlob = await layout.addJson(config, MediaTypes.ociConfig);
  const manifest: ImageManifest = {
    schemaVersion: 2,
    mediaType: MediaTypes.ociManifest,
    config: configBlob,
    layers: [...base.layers, ...layers.map((l) => l.descriptor)],
    ...(base.digest ? { annotations: baseAnnotations(base.name, base.digest) } : {}),
  };
  const written = await layout.addManifest(manifest);
  await layout.finish();
  const size = [configBlob, ...manifest.layers].reduce((sum, d) => sum + d.size, written.size);
  return { digest: written.digest as Digest, size, layerCount: manifest.layers.length };
}

/** The OCI annotations that name the base image (image spec annotations.md), as buildah writes them too. */
const baseAnnotations = (name: string, digest: string) => ({
  'org.opencontainers.image.base.name': name,
  'org.opencontainers.image.base.digest': digest,
});
