import { type EnvSpec, env } from './env.js';

/** The variables every service reads (docs/configuration.md); `port` is the service's own default. */
export const serviceEnv = (port: number) =>
  ({
    NATS_URL: env
      .urls('nats://127.0.0.1:4222', ['nats:', 'tls:', 'ws:', 'wss:'])
      .describe('NATS server(s) with JetStream, comma separated'),
    REDIS_URL: env
      .url('redis://127.0.0.1:6379', ['redis:', 'rediss:'])
      .describe('Redis for the BullMQ queues'),
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
        'the JetStream duplicate window: how long an event id (and so a webhook delivery id) is remembered; GitHub redelivers up to 3 days later',
      ),
    GITOPS_STREAM_MAX_AGE: env.duration('30d').describe('how long events stay in the `GITOPS` stream'),
  }) satisfies EnvSpec;
