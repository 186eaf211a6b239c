import { type Logger, type ReadinessCheck, type Registry, registerOpsRoutes } from '@gitops/telemetry';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

export interface HttpDeps {
  logger: Logger;
  registry: Registry;
  checks: Record<string, ReadinessCheck>;
}

/** The pusher's HTTP app: /healthz, /readyz, /metrics. It never listens: main.ts does, tests use inject(). */
export function buildHttp(deps: HttpDeps): FastifyInstance {
  const app = Fastify({ loggerInstance: deps.logger as FastifyBaseLogger, disableRequestLogging: true });
  registerOpsRoutes(app, deps);
  app.setNotFoundHandler((request, reply) =>
    reply.code(404).send({ code: 'GITOPS_NOT_FOUND', message: `no route ${request.method} ${request.url}` }),
  );
  return app;
}
