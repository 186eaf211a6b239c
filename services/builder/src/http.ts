import { createReadStream } from 'node:fs';
import { AppError } from '@gitops/errors';
import { type Logger, type MetricsRegistry, type ReadinessCheck, createServiceHttp } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';

export interface HttpDeps {
  logger: Logger;
  registry: MetricsRegistry;
  checks: Record<string, ReadinessCheck>;
  /** The build log of a pipeline, or undefined when there is none. */
  findLog(pipelineId: string): Promise<string | undefined>;
}

/** The builder's HTTP app: the ops routes and the build logs. It never listens: main.ts does, tests inject(). */
export function buildHttp(deps: HttpDeps): FastifyInstance {
  const app = createServiceHttp(deps);
  app.get<{ Params: { pipelineId: string } }>('/api/v1/builds/:pipelineId/log', async (request, reply) => {
    const { pipelineId } = request.params;
    const path = await deps.findLog(pipelineId);
    if (!path) {
      throw new AppError('GITOPS_BUILD_LOG_NOT_FOUND', `no build log for pipeline ${pipelineId}`, {
        statusCode: 404,
      });
    }
    // Streamed: a log is up to BUILD_LOG_MAX_BYTES, and one of a running build is still growing.
    return reply.type('text/plain; charset=utf-8').send(createReadStream(path));
  });
  return app;
}
