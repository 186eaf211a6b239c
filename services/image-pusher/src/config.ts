import { type ConfigOf, env, serviceEnv } from '@gitops/config';

/** The image pusher's environment: the common variables plus its own (docs/image-pusher.md). */
export const pusherEnv = {
  ...serviceEnv(8093),
  REGISTRY_URL: env.url('http://127.0.0.1:5000', ['http:', 'https:']),
  REGISTRY_USERNAME: env.optional(),
  REGISTRY_PASSWORD: env.optional(),
  REGISTRY_CA_FILE: env.optional(),
  /** Blobs above this size go up in resumable PATCH chunks. */
  REGISTRY_CHUNK_THRESHOLD: env.bytes('32MiB'),
  REGISTRY_CHUNK_SIZE: env.bytes('16MiB'),
  PUSH_CONCURRENCY: env.int(4, 1, 32),
  /** An ed25519 private key (PEM): provenance is then a signed DSSE envelope. */
  PROVENANCE_SIGNING_KEY_FILE: env.optional(),
  PROVENANCE_BUILDER_ID: env.string('https://gitops.platform/image-builder/v1'),
};

export type PusherConfig = ConfigOf<typeof pusherEnv>;
