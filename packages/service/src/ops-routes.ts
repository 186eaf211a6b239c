import type { MetricsRegistry } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';

/** A named dependency check for /readyz; it resolves when the dependency answers, throws when not. */
export type ReadinessCheck = () => Promise<void>;

/** `/healthz` (process up), `/readyz` (every check answers), `/metrics` (Prometheus text). */
export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { registry: MetricsRegistry; checks: Record<string, ReadinessCheck> },
) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        try {
          await check();
          return [name, 'ok'] as const;
        } catch (err) {
          return [name, `unavailable: ${(err as Error).message}`] as const;
        }
      }),
    );
    const ready = results.every(([, status]) => status === 'ok');
    return reply
      .code(ready ? 200 : 503)
      .send({ status: ready ? 'ready' : 'not ready', checks: Object.fromEntries(results) });
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.registry.contentType).send(await deps.registry.metrics()),
  );
}
