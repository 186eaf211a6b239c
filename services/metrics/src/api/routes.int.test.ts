import { randomBytes } from 'node:crypto';
import { createServiceHttp, parseApiTokens, requireToken } from '@gitops/service';
import { createMetrics } from '@gitops/telemetry';
import { testLogger } from '@gitops/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacSigner } from '../audit/signing.js';
import { type TestDatabase, pgliteTestDatabase } from '../test/databases.js';
import { StoredSignal } from './live.js';
import { apiRoutes } from './routes.js';

const TOKEN = 'a-token-of-thirty-two-characters!';

describe('the metrics API with GITOPS_API_TOKENS_FILE', () => {
  let store: TestDatabase;
  let app: FastifyInstance;
  beforeAll(async () => {
    store = await pgliteTestDatabase();
    const deps = {
      db: store.db,
      signer: hmacSigner(randomBytes(32)),
      stored: new StoredSignal(),
      auditGuard: requireToken(parseApiTokens(`auditor ${TOKEN}`, 'test')),
    };
    app = createServiceHttp({
      logger: testLogger(),
      registry: createMetrics().registry,
      checks: {},
      routes: apiRoutes(deps),
    });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
    await store?.dispose();
  });

  it('keeps the audit ledger behind a bearer token and the read-only metrics open', async () => {
    expect((await app.inject('/api/v1/audit/verify')).statusCode).toBe(401);
    expect((await app.inject('/api/v1/audit?format=csv')).statusCode).toBe(401);
    const verified = await app.inject({
      url: '/api/v1/audit/verify',
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(verified.json()).toEqual({ ok: true, checked: 0 });
    expect((await app.inject('/api/v1/pipelines')).json()).toEqual({ pipelines: [], nextCursor: null });
    expect((await app.inject('/api/v1/metrics/dora')).statusCode).toBe(200);
  });

  it('refuses a range that ends before it starts, naming both ends', async () => {
    const answer = await app.inject(
      '/api/v1/metrics/builds?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z',
    );
    expect(answer.statusCode).toBe(400);
    expect(answer.json().message).toBe(
      'from (2026-02-01T00:00:00.000Z) must be before to (2026-01-01T00:00:00.000Z)',
    );
  });
});
