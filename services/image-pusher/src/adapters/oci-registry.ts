import {
  type RegistryClientOptions,
  type RegistryEnv,
  attachArtifact,
  parseImageReference,
  pushLayout,
  readOciLayout,
  registryFor,
} from '@gitops/oci';
import type { ImageRegistry, PushPlan } from '../ports.js';

export interface OciRegistryOptions extends Pick<RegistryClientOptions, 'logger' | 'upload'> {
  env: RegistryEnv;
  /** Blobs uploaded at once per image. */
  concurrency: number;
}

/** Of the images a build started from, the repositories on the target's own registry: mount sources. */
function mountSources(plan: PushPlan, registry: string): string[] {
  return plan.mountFrom
    .map((name) => parseImageReference(name))
    .filter((ref) => ref.registry === registry)
    .map((ref) => ref.repository);
}

/** The stage's registry through @gitops/oci: REGISTRY_* settings, pushes from the build's OCI layout. */
export function ociRegistry(options: OciRegistryOptions): ImageRegistry {
  const target = (repository: string) => registryFor(repository, options.env, options);
  return {
    async push(plan) {
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
    },
    async attach(name, subject, artifact) {
      const { client, repository } = target(name);
      const { tag, digest } = await attachArtifact(client, repository, subject, artifact);
      return { tag, digest };
    },
  };
}
