import { type Logger, type MetricsRegistry, registerHttpSpans } from '@gitops/telemetry';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { type ReadinessCheck, registerOpsRoutes } from './ops-routes.js';

export interface ServiceHttpOptions {
  logger: Logger;
  registry: MetricsRegistry;
  checks: Record<string, ReadinessCheck>;
  bodyLimit?: number;
  /** A SERVER span per request (docs/tracing.md); off when tracing is, so a request pays nothing for it. */
  tracing?: boolean;
  /** The service's own routes, added after the shared ones. */
  routes?: (app: FastifyInstance) => void;
}

interface CodedError {
  code?: string;
  statusCode?: number;
  message: string;
}

// Fastify's own codes that deserve a sentence a person can act on.
const explain = (error: CodedError, bodyLimit: number | undefined) =>
  error.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
    ? `body is larger than the limit of ${bodyLimit} bytes`
    : error.message;

/**
 * The HTTP base every service builds on: JSON errors `{code, message}` with the status an AppError
 * (or Fastify) carries and a bare "internal error" for anything unexpected, JSON 404s, no
 * per-request log lines (services log what matters with the pipeline id), and /healthz, /readyz,
 * /metrics. It never listens: main.ts does, and tests use inject().
 */
export function createServiceHttp(options: ServiceHttpOptions): FastifyInstance {
  // No Fastify logger: it would build a child logger per request only to log nothing (request
  // logging is off); the few lines worth writing go to the service's logger.
  const app = Fastify({ logger: false, ...(options.bodyLimit ? { bodyLimit: options.bodyLimit } : {}) });
  // Probes and scrapes every few seconds would bury the pipelines' traces.
  if (options.tracing) registerHttpSpans(app, { ignoreRoutes: ['/healthz', '/readyz', '/metrics'] });
  app.setErrorHandler((error: FastifyError | CodedError, request, reply) => {
    const status = error.statusCode ?? 500;
    const code = error.code ?? 'GITOPS_INTERNAL';
    options.logger[status >= 500 ? 'error' : 'info'](
      { err: error, code, status, url: request.url },
      'request refused',
    );
    if (status === 503) reply.header('retry-after', '5');
    return reply
      .code(status)
      .send({ code, message: status === 500 ? 'internal error' : explain(error, options.bodyLimit) });
  });
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'GITOPS_NOT_FOUND', message: `no route ${request.method} ${request.url}` }),
  );
  registerOpsRoutes(app, options);
  options.routes?.(app);
  return app;
}
