import type { Application, Environment } from '@gitops/config';
import type { ImagePin, ImageRef } from './edit/image-ref.js';

/** One pipeline's wish: this image in this environment, with what the commit must say about it. */
export interface Bump {
  app: Application;
  environment: Environment;
  pin: ImagePin;
  pipelineId: string;
  /** The source commit the image was built from. */
  commit: string;
  /** A promotion names the environment the digest was healthy in, and the approver when a person acted. */
  promotedFrom?: string;
  approvedBy?: string;
}

/** Where a bump landed: the config commit carrying it (the existing head for a no-op). */
export interface BumpResult {
  configCommit: string;
  /** Every pipeline whose bump this commit carries, when several were batched into it. */
  batch?: string[];
  /** False when the environment pinned the image already (a replay): no commit was made. */
  committed: boolean;
  /** From the bump's arrival to its commit pushed: waiting for the repository's lock and batching included. */
  durationMs: number;
}

/** What an environment runs according to Git. */
export interface EnvironmentState {
  /** The head of the environment's branch. */
  configCommit: string;
  image?: ImageRef;
  /** The `Source-Commit` trailer of the last platform commit that changed the environment's path. */
  sourceCommit?: string;
}

/** The one writer of config repositories. */
export interface ConfigWriter {
  write(bump: Bump): Promise<BumpResult>;
  /** The environment's image at `ref` (a config commit), or at the head of its branch. */
  read(app: Application, environment: Environment, ref?: string): Promise<EnvironmentState>;
}

/** One holder at a time per key, across every replica. */
export interface RepoLock {
  hold<T>(key: string, work: () => Promise<T>): Promise<T>;
}

/** A rolled-back image, kept out of every environment until released. */
export interface QuarantineEntry {
  digest: string;
  image: string;
  app: string;
  environment: string;
  by: string;
  at: string;
  reason?: string;
}

/** A digest healthy in `from`, waiting for a person's approval to go to `to`. */
export interface WaitingPromotion {
  app: string;
  from: string;
  to: string;
  image: string;
  /** The version tag `from` pins with the digest, kept on promotion. */
  tag?: string;
  pipelineId: string;
  commit: string;
  requestedAt: string;
}

/** The stage's own state: what is quarantined, what waits for approval. */
export interface PromotionState {
  quarantine(entry: QuarantineEntry): Promise<void>;
  quarantined(digest: string): Promise<QuarantineEntry | undefined>;
  quarantineList(): Promise<QuarantineEntry[]>;
  /** False when the digest was not quarantined. */
  release(digest: string): Promise<boolean>;
  /** Records (or replaces: the last healthy digest wins) what waits for the environment. */
  wait(promotion: WaitingPromotion): Promise<void>;
  waiting(app: string, environment: string): Promise<WaitingPromotion | undefined>;
  /** Clears the waiting promotion of the environment if it is still `image`. */
  done(app: string, environment: string, image: string): Promise<void>;
}
