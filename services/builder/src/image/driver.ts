import type { BuildNetwork } from '@gitops/config';
import type { Digest } from './digest.js';

/** What the build stage asks of an image driver. Paths are absolute. */
export interface ImageBuildRequest {
  /** The application, for names and labels. */
  app: string;
  /** The build context directory (the workspace joined with spec.build.context), already checked. */
  contextDir: string;
  /** The Dockerfile, relative to `contextDir` (spec.build.dockerfile). */
  dockerfile: string;
  /**
   * The commit time. Every timestamp the image records is this one, so the same commit builds
   * the same image, byte for byte.
   */
  commitTime: Date;
  /** OCI annotations/labels to set: org.opencontainers.image.source, .revision, .created. */
  labels: Record<string, string>;
  /** Where to write the OCI image layout; it does not exist yet and the driver creates it. */
  outputDir: string;
  /** Cancels the build (a superseding push, shutdown). A driver stops promptly and throws. */
  signal: AbortSignal;
  /** What RUN lines may reach: `none` (default) keeps them off every network but their loopback (buildah). */
  network?: BuildNetwork;
  /** Build arguments (`--build-arg`): override the defaults of the Dockerfile's ARG lines. */
  buildArgs?: Record<string, string>;
  /** One line of build output for the pipeline's log. */
  log(line: string): void;
}

export interface BuiltImage {
  /** The manifest digest in `outputDir`'s index.json. */
  digest: Digest;
  /** Manifest + config + layers, in bytes. */
  size: number;
  /** The base images resolved from FROM lines, by name and manifest digest (provenance). */
  baseImages: { name: string; digest: Digest }[];
}

export interface ImageDriver {
  readonly name: 'native' | 'buildah';
  build(request: ImageBuildRequest): Promise<BuiltImage>;
}

/** What both drivers are constructed with. */
export interface DriverSettings {
  /** GITOPS_DATA_DIR: the base-layer cache and buildah's storage live under it. */
  dataDir: string;
  /** Registry configuration (REGISTRY_URL, REGISTRY_USERNAME, REGISTRY_PASSWORD, REGISTRY_CA_FILE). */
  env: NodeJS.ProcessEnv;
  /** The largest build context accepted, after .dockerignore. */
  contextMaxBytes: number;
}
