import type { BuildCounter, BuildNumbers, ImageRegistry, NumberedBuild } from './ports.js';
import { provenanceClaims } from './provenance.js';
import { highestBuildNumber, versionTagsOf } from './tags.js';

/** What the registry records about build numbers: the tags, and the provenance attached to an image. */
export type BuildRecords = Pick<ImageRegistry, 'tags' | 'tagDigest' | 'attachments'>;

/**
 * The number the registry shows this pipeline already got, if any: the one its provenance names; else a
 * version tag of this branch and commit at this very image that no pipeline's provenance claims (the push
 * tagged it, then stopped before attaching). Costs nothing more than the tag list unless this branch and
 * commit were pushed before.
 */
export async function recordedNumber(
  registry: BuildRecords,
  build: NumberedBuild,
  tags: readonly string[],
): Promise<number | undefined> {
  const candidates = versionTagsOf(tags, build.branch, build.commit);
  if (candidates.length === 0) return undefined;
  const claims = provenanceClaims(await registry.attachments(build.repository, build.digest));
  const own = claims.get(build.pipelineId);
  if (own !== undefined) return own;
  const claimed = new Set(claims.values());
  for (const { tag, buildNumber } of candidates) {
    if (claimed.has(buildNumber)) continue;
    if ((await registry.tagDigest(build.repository, tag)) === build.digest) return buildNumber;
  }
  return undefined;
}

/**
 * Build numbers that never go back: the registry is the record (its version tags hold every number given,
 * the provenance on each image the pipeline that got it), Redis the fast path and the one place replicas
 * allocate from at once. A pipeline Redis remembers costs no registry request; any other lists the
 * repository's tags, so a counter Redis lost (or that is behind) continues from the highest number there,
 * and a replay after the loss finds its own number again (docs/image-pusher.md, "Build numbers").
 */
export class DurableBuildNumbers implements BuildNumbers {
  constructor(
    private readonly counter: BuildCounter,
    private readonly registry: BuildRecords,
  ) {}

  async allocate(build: NumberedBuild): Promise<number> {
    const remembered = await this.counter.recall(build.app, build.pipelineId);
    if (remembered !== undefined) return remembered;
    const tags = await this.registry.tags(build.repository);
    const recorded = await recordedNumber(this.registry, build, tags);
    return this.counter.claim(build.app, build.pipelineId, {
      floor: highestBuildNumber(tags),
      ...(recorded === undefined ? {} : { recorded }),
    });
  }
}
