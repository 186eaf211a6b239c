import { type EnvSpec, env } from './env.js';

/** How a NATS client authenticates besides the credentials in NATS_URL; the CLI reads them too. */
export const natsAuthEnv = {
  NATS_CREDS: env
    .optional()
    .describe(
      'a NATS `.creds` file (user JWT and NKey seed) to authenticate with, instead of a password in `NATS_URL`',
    ),
  NATS_TOKEN: env
    .optional()
    .describe('a NATS token to authenticate with, instead of a password in `NATS_URL`'),
  NATS_CA: env
    .optional()
    .describe(
      "a CA certificate file (PEM) for NATS's TLS certificate; setting it (or `NATS_CERT`) requires TLS",
    ),
  NATS_CERT: env
    .optional()
    .describe('a client certificate file (PEM) for NATS servers that verify clients (mutual TLS)'),
  NATS_KEY: env.optional().describe('the private key file of `NATS_CERT`'),
} satisfies EnvSpec;

/** The variables every service reads (docs/configuration.md); `port` is the service's own default. */
export const serviceEnv = (port: number) =>
  ({
    NATS_URL: env
      .urls('nats://127.0.0.1:4222', ['nats:', 'tls:', 'ws:', 'wss:'])
      .describe(
        'NATS server(s) with JetStream, comma separated; `nats://user:password@host:4222` (password URL-encoded) or `nats://token@host:4222` authenticates, `tls://` requires TLS (docs/security.md)',
      ),
    ...natsAuthEnv,
    REDIS_URL: env
      .url('redis://127.0.0.1:6379', ['redis:', 'rediss:'])
      .describe(
        'Redis for the BullMQ queues; `redis://:password@host:6379` or `redis://user:password@host:6379` (an ACL user) authenticates, `rediss://` is TLS',
      ),
    REDIS_CA: env
      .optional()
      .describe(
        "a CA certificate file (PEM) for a `rediss://` Redis whose certificate the system's CAs do not sign",
      ),
    GITOPS_APPS: env.string('./gitops.yaml').describe('the application file (docs/applications.md)'),
    GITOPS_DATA_DIR: env
      .string('./.gitops-data')
      .describe(
        'working files: git mirrors, build workspaces, image layouts, build logs; the builder and the image pusher share it',
      ),
    PORT: env
      .port(port)
      .describe('the HTTP port of `/healthz`, `/readyz`, `/metrics` and the service routes'),
    LOG_LEVEL: env
      .oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info')
      .describe('the pino log level'),
    HOST: env.string('0.0.0.0').describe('the address the HTTP server listens on'),
    SHUTDOWN_TIMEOUT: env
      .duration('25s')
      .describe('how long SIGTERM waits for in-flight work before the process exits'),
    // Every service provisions the GITOPS stream at start, so all must agree on these two.
    GITOPS_DEDUPE_WINDOW: env
      .duration('72h')
      .describe(
        'the JetStream duplicate window: how long an event id (and so a pushed ref update) is remembered; GitHub redelivers up to 3 days later',
      ),
    GITOPS_STREAM_MAX_AGE: env.duration('30d').describe('how long events stay in the `GITOPS` stream'),
  }) satisfies EnvSpec;

/** The variables of a service with an HTTP API beyond /healthz, /readyz and /metrics (docs/security.md). */
export const apiEnv = {
  GITOPS_API_TOKENS_FILE: env
    .optional()
    .describe(
      'a file of API tokens, one `<name> <token>` per line (`#` comments allowed): the API then needs `Authorization: Bearer <token>`; unset, it answers loopback clients only',
    ),
} satisfies EnvSpec;
