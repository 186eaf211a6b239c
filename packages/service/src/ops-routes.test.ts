import { createMetrics } from '@gitops/telemetry';
import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerOpsRoutes } from './ops-routes.js';

const build = (natsUp: boolean) => {
  const app = Fastify();
  const metrics = createMetrics();
  registerOpsRoutes(app, {
    registry: metrics.registry,
    checks: {
      nats: async () => {
        if (!natsUp) throw new Error('connection refused');
      },
      redis: async () => undefined,
    },
  });
  return app;
};

describe('ops routes', () => {
  it('answers /readyz 200 when every dependency answers', async () => {
    const response = await build(true).inject({ method: 'GET', url: '/readyz' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ status: 'ready', checks: { nats: 'ok', redis: 'ok' } });
  });

  it('answers /readyz 503 naming the dependency that does not, while /healthz stays 200', async () => {
    const app = build(false);
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ nats: 'unavailable: connection refused', redis: 'ok' });
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
  });

  it('answers /readyz 503 within its own timeout when a dependency hangs', async () => {
    const app = Fastify();
    registerOpsRoutes(app, {
      registry: createMetrics().registry,
      checks: { redis: () => new Promise<void>(() => undefined) },
    });
    const ready = await app.inject({ method: 'GET', url: '/readyz' });
    expect(ready.statusCode).toBe(503);
    expect(ready.json().checks).toEqual({ redis: 'unavailable: no answer within 2000 ms' });
  });

  it('serves Prometheus text on /metrics, without a service label that would clash with the scrape target’s', async () => {
    const response = await build(true).inject({ method: 'GET', url: '/metrics' });
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    expect(response.body).toMatch(/^process_cpu_seconds_total \d/m);
    expect(response.body).not.toMatch(/service="/);
  });
});
