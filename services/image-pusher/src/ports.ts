import type { ImageTags } from './tags.js';

/** What to push where: the stage's decision, as plain data. */
export interface PushPlan {
  /** The OCI layout directory (absolute). */
  layoutDir: string;
  /** The manifest (or index) digest the build produced. */
  digest: string;
  /** `host/path`, the application's image.repository. */
  repository: string;
  tags: ImageTags;
  /** Images the build started from: repositories on the same registry lend their blobs by mount. */
  mountFrom: string[];
}

export interface PushOutcome {
  /** The pushed manifest's descriptor: what attachments name as their subject. */
  subject: { mediaType: string; digest: string; size: number };
  /** The tags pointing at the image now. */
  tags: string[];
  bytesUploaded: number;
  bytesSkipped: number;
}

export interface ArtifactToAttach {
  artifactType: string;
  mediaType: string;
  bytes: Buffer;
}

/** An artifact found attached to an image: its layer's media type and bytes. */
export interface AttachedArtifact {
  mediaType: string;
  bytes: Buffer;
}

/** The registry, as this stage needs it. */
export interface ImageRegistry {
  push(plan: PushPlan): Promise<PushOutcome>;
  /** Attaches an artifact to an image (tag-schema fallback); returns the tag and manifest digest. */
  attach(
    repository: string,
    subject: PushOutcome['subject'],
    artifact: ArtifactToAttach,
  ): Promise<{ tag: string; digest: string }>;
  /** Every tag of the repository; none when it does not exist yet. */
  tags(repository: string): Promise<string[]>;
  /** The digest a tag points at, or undefined when there is no such tag. */
  tagDigest(repository: string, tag: string): Promise<string | undefined>;
  /** The artifacts attached to an image (tag-schema fallback), oldest first; none when there are none. */
  attachments(repository: string, digest: string): Promise<AttachedArtifact[]>;
}

/** A build whose number is asked for: its pipeline, and where and under which names its image goes. */
export interface NumberedBuild {
  app: string;
  pipelineId: string;
  /** `host/path`: its version tags record the numbers given so far. */
  repository: string;
  /** The image's digest: the provenance attached to it names each pipeline that pushed it, with its number. */
  digest: string;
  /** The branch the version tag names (`tagBranch`). */
  branch: string;
  commit: string;
}

/** Per-application build numbers. */
export interface BuildNumbers {
  /** The pipeline's build number: allocated on first call, the same on every later call for the pipeline. */
  allocate(build: NumberedBuild): Promise<number>;
}

/**
 * The fast and shared part of build numbers: a counter per application and a memo per pipeline, which
 * may be lost (Redis without persistence); the registry is what they are rebuilt from.
 */
export interface BuildCounter {
  /** The number remembered for the pipeline, if any. */
  recall(app: string, pipelineId: string): Promise<number | undefined>;
  /**
   * At once for every replica: the pipeline's remembered number if it has one; else `recorded` (the
   * pipeline's number, found in the registry) or the next of the application's counter, the counter
   * first raised to `floor` (the highest number in the registry); remembered for the pipeline.
   */
  claim(app: string, pipelineId: string, found: { floor: number; recorded?: number }): Promise<number>;
}
