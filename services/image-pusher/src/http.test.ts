import { createLogger, createMetrics } from '@gitops/telemetry';
import { describe, expect, it } from 'vitest';
import { buildHttp } from './http.js';

const deps = (redisUp: boolean) => ({
  logger: createLogger({ service: 'test', level: 'silent' }),
  registry: createMetrics('image-pusher').registry,
  checks: {
    nats: async () => undefined,
    redis: async () => {
      if (!redisUp) throw new Error('connection refused');
    },
  },
});

describe('the pusher’s HTTP app', () => {
  it('is ready when NATS and Redis answer', async () => {
    const res = await buildHttp(deps(true)).inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready', checks: { nats: 'ok', redis: 'ok' } });
  });

  it('answers 503 naming Redis when it does not answer', async () => {
    const res = await buildHttp(deps(false)).inject({ method: 'GET', url: '/readyz' });
    expect(res.statusCode).toBe(503);
    expect(res.json().checks.redis).toMatch(/connection refused/);
  });

  it('serves Prometheus metrics and 404 for anything else', async () => {
    const http = buildHttp(deps(true));
    expect((await http.inject({ method: 'GET', url: '/metrics' })).body).toContain('process_cpu');
    expect((await http.inject({ method: 'GET', url: '/nope' })).statusCode).toBe(404);
  });
});
