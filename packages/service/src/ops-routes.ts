import type { MetricsRegistry } from '@gitops/telemetry';
import type { FastifyInstance } from 'fastify';

/** A named dependency check for /readyz; it resolves when the dependency answers, throws when not. */
export type ReadinessCheck = () => Promise<void>;

/** `/healthz` (process up), `/readyz` (every check answers), `/metrics` (Prometheus text). */
// A probe that waits on a dependency longer than this says so instead of outliving the kubelet's timeout.
const CHECK_TIMEOUT_MS = 2000;

async function answers(check: ReadinessCheck): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), late]);
  } finally {
    clearTimeout(timer);
  }
}

export function registerOpsRoutes(
  app: FastifyInstance,
  deps: { registry: MetricsRegistry; checks: Record<string, ReadinessCheck> },
) {
  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    const results = await Promise.all(
      Object.entries(deps.checks).map(async ([name, check]) => {
        try {
          await answers(check);
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
