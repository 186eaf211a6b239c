import { AppError } from '@gitops/errors';
import { createMetrics } from '@gitops/telemetry';
import { testLogger } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { createServiceHttp } from './http.js';

const build = () => {
  const app = createServiceHttp({
    logger: testLogger(),
    registry: createMetrics().registry,
    checks: {},
    bodyLimit: 16,
  });
  app.get('/refused', async () => {
    throw new AppError('GITOPS_TEST_GONE', 'the thing is gone', { statusCode: 410 });
  });
  app.get('/unavailable', async () => {
    throw new AppError('GITOPS_TEST_DOWN', 'down', { statusCode: 503, retryable: true });
  });
  app.get('/bug', async () => {
    throw new Error('secret internals');
  });
  app.post('/echo', async (request) => request.body);
  return app;
};

describe('createServiceHttp', () => {
  it('answers an AppError with its status, code and message', async () => {
    const response = await build().inject({ method: 'GET', url: '/refused' });
    expect(response.statusCode).toBe(410);
    expect(response.json()).toEqual({ code: 'GITOPS_TEST_GONE', message: 'the thing is gone' });
  });

  it('adds Retry-After to a 503', async () => {
    expect((await build().inject({ method: 'GET', url: '/unavailable' })).headers['retry-after']).toBe('5');
  });

  it('hides the message of an unexpected error behind "internal error"', async () => {
    const response = await build().inject({ method: 'GET', url: '/bug' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ code: 'GITOPS_INTERNAL', message: 'internal error' });
  });

  it('answers 413 naming the body limit', async () => {
    const response = await build().inject({
      method: 'POST',
      url: '/echo',
      payload: { much: 'more than sixteen bytes' },
    });
    expect(response.statusCode).toBe(413);
    expect(response.json().message).toBe('body is larger than the limit of 16 bytes');
  });

  it('answers JSON 404 for an unknown route', async () => {
    const response = await build().inject({ method: 'GET', url: '/nope' });
    expect(response.statusCode).toBe(404);
    expect(response.json()).toEqual({ code: 'GITOPS_NOT_FOUND', message: 'no route GET /nope' });
  });
});
