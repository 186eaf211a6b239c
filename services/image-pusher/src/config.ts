import { type ConfigOf, env, serviceEnv, stageEnv } from '@gitops/config';

/** The image pusher's environment: the common variables plus its own (docs/image-pusher.md). */
export const pusherEnv = {
  ...serviceEnv(8093),
  ...stageEnv,
  REGISTRY_URL: env
    .url('http://127.0.0.1:5000', ['http:', 'https:'])
    .describe(
      'the platform registry, scheme included; its host gets this scheme and `REGISTRY_USERNAME`/`REGISTRY_PASSWORD`',
    ),
  REGISTRY_USERNAME: env
    .optional()
    .describe('user for the host of `REGISTRY_URL` only (Basic, or at its token server)'),
  REGISTRY_PASSWORD: env.optional().describe('password for `REGISTRY_USERNAME`; never logged'),
  REGISTRY_CA_FILE: env
    .optional()
    .describe('a PEM file of extra CA certificates trusted for HTTPS registries and token servers'),
  REGISTRY_CHUNK_THRESHOLD: env
    .bytes('32MiB')
    .describe('blobs above this size go up in resumable PATCH chunks, smaller ones in one PUT'),
  REGISTRY_CHUNK_SIZE: env.bytes('16MiB').describe('the size of those chunks'),
  REGISTRY_RETRY_BUDGET: env
    .duration('5m')
    .describe(
      'how long a registry request keeps retrying refused, reset or timed-out connections and 408/429/5xx answers (backoff up to 5s) before the push fails with image.failed',
    ),
  PUSH_CONCURRENCY: env.int(4, 1, 32).describe('blobs of one image uploaded at once'),
  PROVENANCE_SIGNING_KEY_FILE: env
    .optional()
    .describe('an ed25519 private key (PEM, PKCS#8): provenance is then a signed DSSE envelope'),
  PROVENANCE_BUILDER_ID: env
    .string('https://gitops.platform/image-builder/v1')
    .describe('`runDetails.builder.id` of the provenance'),
};

export type PusherConfig = ConfigOf<typeof pusherEnv>;
