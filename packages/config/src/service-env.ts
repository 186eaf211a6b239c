import { type EnvSpec, env } from './env.js';

/** The variables every service reads (CONTRACT section 2); `port` is the service's own default. */
export const serviceEnv = (port: number) =>
  ({
    NATS_URL: env.urls('nats://127.0.0.1:4222', ['nats:', 'tls:', 'ws:', 'wss:']),
    REDIS_URL: env.url('redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    GITOPS_APPS: env.string('./gitops.yaml'),
    GITOPS_DATA_DIR: env.string('./.gitops-data'),
    PORT: env.port(port),
    LOG_LEVEL: env.oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], 'info'),
    HOST: env.string('0.0.0.0'),
    SHUTDOWN_TIMEOUT: env.duration('25s'),
    // Every service provisions the GITOPS stream at start, so all must agree on these two.
    /** How long JetStream remembers an event id (and so a webhook delivery id); GitHub redelivers up to 3 days later. */
    GITOPS_DEDUPE_WINDOW: env.duration('72h'),
    GITOPS_STREAM_MAX_AGE: env.duration('30d'),
  }) satisfies EnvSpec;
