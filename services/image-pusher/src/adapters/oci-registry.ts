import {
  type RegistryClientOptions,
  type RegistryEnv,
  attachArtifact,
  listAttachments,
  parseImageReference,
  pushLayout,
  readOciLayout,
  registryFor,
} from '@gitops/oci';
import { isRegistryUnavailable, registryOutage } from '../errors.js';
import type { ImageRegistry, PushPlan } from '../ports.js';

export interface OciRegistryOptions extends Pick<RegistryClientOptions, 'logger' | 'upload'> {
  env: RegistryEnv;
  /** Blobs uploaded at once per image. */
  concurrency: number;
  /** REGISTRY_RETRY_BUDGET: how long each request keeps retrying a registry that is away. */
  retryBudgetMs: number;
}

/** Of the images a build started from, the repositories on the target's own registry: mount sources. */
function mountSources(plan: PushPlan, registry: string): string[] {
  return plan.mountFrom
    .map((name) => parseImageReference(name))
    .filter((ref) => ref.registry === registry)
    .map((ref) => ref.repository);
}

/** Runs a registry call; a registry that stayed away past the budget ends the push for good. */
async function withinBudget<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    throw isRegistryUnavailable(err) ? registryOutage(err) : err;
  }
}

/**
 * The stage's registry through @gitops/oci: REGISTRY_* settings, pushes from the build's OCI layout. Each
 * request retries for the whole retry budget, within one job attempt, so the stage runner's attempts never
 * cut an outage short; what outlasts the budget is final.
 */
export function ociRegistry(options: OciRegistryOptions): ImageRegistry {
  const clientOptions = {
    logger: options.logger,
    upload: options.upload,
    retry: { attempts: Number.POSITIVE_INFINITY, budgetMs: options.retryBudgetMs },
  };
  const target = (repository: string) => registryFor(repository, options.env, clientOptions);
  return {
    push: (plan) =>
      withinBudget(async () => {
        const { client, repository, ref } = target(plan.repository);
        const layout = await readOciLayout(plan.layoutDir);
        const root = layout.find(plan.digest);
        const result = await pushLayout(client, repository, layout, root, {
          tags: plan.tags.strict,
          tagsIfFree: plan.tags.firstWins,
          mountFrom: mountSources(plan, ref.registry),
          concurrency: options.concurrency,
        });
        return {
          subject: { mediaType: root.mediaType, digest: root.digest, size: root.size },
          tags: result.tags,
          bytesUploaded: result.bytesUploaded,
          bytesSkipped: result.bytesSkipped,
        };
      }),
    attach: (name, subject, artifact) =>
      withinBudget(async () => {
        const { client, repository } = target(name);
        const { tag, digest } = await attachArtifact(client, repository, subject, artifact);
        return { tag, digest };
      }),
    tags: (name) =>
      withinBudget(() => {
        const { client, repository } = target(name);
        return client.listTags(repository);
      }),
    tagDigest: (name, tag) =>
      withinBudget(async () => {
        const { client, repository } = target(name);
        return (await client.headManifest(repository, tag))?.digest;
      }),
    attachments: (name, digest) =>
      withinBudget(async () => {
        const { client, repository } = target(name);
        const layers = await listAttachments(client, repository, digest);
        return Promise.all(
          layers.map(async (layer) => ({
            mediaType: layer.mediaType,
            bytes: await client.fetchBlob(repository, layer.digest),
          })),
        );
      }),
  };
}
