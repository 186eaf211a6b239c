import { type ConfigOf, env, serviceEnv } from '@gitops/config';

/** The receiver's environment: the common variables plus its own (docs/configuration.md). */
export const receiverEnv = {
  ...serviceEnv(8080),
  HOST: env.string('0.0.0.0'),
  WEBHOOK_SECRET: env.optional(),
  WEBHOOK_BODY_LIMIT: env.bytes('5MiB'),
  /** How long a delivery id is remembered; GitHub redelivers up to 3 days later. */
  GITOPS_DEDUPE_WINDOW: env.duration('72h'),
  GITOPS_STREAM_MAX_AGE: env.duration('30d'),
  PUBLISH_TIMEOUT: env.duration('5s'),
};

export type ReceiverConfig = ConfigOf<typeof receiverEnv>;
