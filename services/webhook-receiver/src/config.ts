import { type ConfigOf, env, serviceEnv } from '@gitops/config';

/** The receiver's environment: the common variables plus its own (docs/configuration.md). */
export const receiverEnv = {
  ...serviceEnv(8080),
  WEBHOOK_SECRET: env
    .optional()
    .describe(
      'the shared webhook secret of every application that names none of its own (`spec.webhook.secretEnv`)',
    ),
  WEBHOOK_BODY_LIMIT: env.bytes('5MiB').describe('larger webhook bodies are answered `413`'),
  PUBLISH_TIMEOUT: env
    .duration('5s')
    .describe('how long a webhook waits for the JetStream store ack before it is answered `503`'),
};

export type ReceiverConfig = ConfigOf<typeof receiverEnv>;
