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

/** The registry, as this stage needs it. */
export interface ImageRegistry {
  push(plan: PushPlan): Promise<PushOutcome>;
  /** Attaches an artifact to an image (tag-schema fallback); returns the tag and manifest digest. */
  attach(
    repository: string,
    subject: PushOutcome['subject'],
    artifact: ArtifactToAttach,
  ): Promise<{ tag: string; digest: string }>;
}

/** Per-application build counters. */
export interface BuildNumbers {
  /** The pipeline's build number: allocated on first call, the same on every later call for the pipeline. */
  allocate(app: string, pipelineId: string): Promise<number>;
}
