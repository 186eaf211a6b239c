import type { Bus } from '@gitops/bus';
import type { Application, ConfigOf, EnvSpec, StageConfig, serviceEnv } from '@gitops/config';
import type { AnyEvent, EventName, GitopsEvent } from '@gitops/contracts';
import type { StageHandlers } from '@gitops/queue';
import type { Logger, Metrics } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';
import type { Redis } from 'ioredis';
import type { ReadinessCheck } from './ops-routes.js';

/** The variables every service reads; a service's own spec spreads `serviceEnv(port)`. */
export type ServiceEnvSpec = ReturnType<typeof serviceEnv> & EnvSpec;

/** What the runner itself reads of any service's configuration. */
export type ServiceConfig = ConfigOf<ReturnType<typeof serviceEnv>> & Partial<StageConfig>;

/** What a service's `create` gets: its configuration and the connections the runner owns. */
export interface ServiceContext<C> {
  config: C;
  logger: Logger;
  metrics: Metrics;
  bus: Bus;
  /** The applications of GITOPS_APPS, loaded once. */
  apps: Application[];
  /** The shared Redis client, opened on first call and closed by the runner. */
  redis(): Redis;
  /** The process environment the service was started with (secrets named by applications live here). */
  env: NodeJS.ProcessEnv;
}

/** The stage queue of a service: the events it consumes and what it does with each. */
export interface StageParts {
  consumes: readonly EventName[];
  handlers: StageHandlers;
  /** The failure events to publish once an event's job has no attempts left. */
  onExhausted?: (event: AnyEvent, err: unknown) => GitopsEvent[];
  /** Called with each consumed event before its job is queued; idempotent (see StageRunnerOptions). */
  beforeEnqueue?: (event: AnyEvent) => Promise<void>;
  /** Jobs run at once by this process (default 1). */
  concurrency?: number;
}

/** Work a service runs beside its stage (a periodic sweep): started after the stage, stopped before Redis closes. */
export interface BackgroundTask {
  start(): Promise<void> | void;
  stop(): Promise<void>;
}

/** What a service is made of, built from its context. Everything is optional but the definition's name. */
export interface ServiceParts {
  stage?: StageParts;
  /** Adds the service's own routes to the shared HTTP base (which has /healthz, /readyz, /metrics). */
  routes?: (app: FastifyInstance) => void;
  bodyLimit?: number;
  /** Readiness checks besides NATS and, when the service uses it, Redis. */
  checks?: Record<string, ReadinessCheck>;
  tasks?: BackgroundTask[];
  /** Logged once the service listens (apps, data directory, …). */
  summary?: Record<string, unknown>;
}

/** One service: its name, its environment spec, and how to build its parts. */
export interface ServiceDefinition<S extends ServiceEnvSpec> {
  /** The queue name, the durable consumer prefix, the event source and the log `service` field. */
  service: string;
  env: S;
  create(context: ServiceContext<ConfigOf<S>>): ServiceParts | Promise<ServiceParts>;
}

/** Types a definition without repeating its spec type. */
export const defineService = <S extends ServiceEnvSpec>(definition: ServiceDefinition<S>) => definition;
