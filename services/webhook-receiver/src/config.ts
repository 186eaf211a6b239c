import { type ConfigOf, env, serviceEnv } from '@gitops/config';

/** The receiver's environment: the common variables plus its own (docs/configuration.md). */
export const receiverEnv = {
  ...serviceEnv(8080),
  WEBHOOK_SECRET: env.optional(),
  WEBHOOK_BODY_LIMIT: env.bytes('5MiB'),
  PUBLISH_TIMEOUT: env.duration('5s'),
};

export type ReceiverConfig = ConfigOf<typeof receiverEnv>;
