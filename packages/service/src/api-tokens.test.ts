import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMetrics } from '@gitops/telemetry';
import { testLogger } from '@gitops/testing';
import { describe, expect, it } from 'vitest';
import { apiGuard, guardedRoutes, parseApiTokens, readApiTokens } from './api-tokens.js';
import { createServiceHttp } from './http.js';

const CI_TOKEN = 'ci-0123456789abcdef0123';
const ALICE_TOKEN = 'alice-fedcba9876543210';
const FILE = `# who may read build logs\n\nci ${CI_TOKEN}\n  alice   ${ALICE_TOKEN}  \n`;

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    expect(err).toMatchObject({ code: 'GITOPS_API_TOKENS_INVALID' });
    return (err as Error).message;
  }
  throw new Error('expected the file to be refused');
}

describe('the API tokens file', () => {
  it('reads "<name> <token>" lines, skipping blank lines and comments', () => {
    const tokens = parseApiTokens(FILE, 'tokens');
    expect(tokens.size).toBe(2);
    expect(tokens.nameOf(CI_TOKEN)).toBe('ci');
    expect(tokens.nameOf(ALICE_TOKEN)).toBe('alice');
    expect(tokens.nameOf(`${CI_TOKEN}x`)).toBeUndefined();
  });

  it('names the line of a problem, never its content', () => {
    const message = refusal(() => parseApiTokens(`ci ${CI_TOKEN}\nbob ${ALICE_TOKEN} extra\n`, 'f'));
    expect(message).toBe('GITOPS_API_TOKENS_FILE f: line 2 is not "<name> <token>"');
    expect(refusal(() => parseApiTokens('bob short\n', 'f'))).toMatch(/line 1: the token is shorter than 16/);
    expect(refusal(() => parseApiTokens(`a ${CI_TOKEN}\nb ${CI_TOKEN}\n`, 'f'))).toMatch(
      /line 2 repeats a token/,
    );
    expect(refusal(() => parseApiTokens(`a ${CI_TOKEN}\na ${ALICE_TOKEN}\n`, 'f'))).toMatch(
      /repeats the name a/,
    );
    expect(refusal(() => parseApiTokens(`ci ${CI_TOKEN} x`, 'f'))).not.toContain(CI_TOKEN);
  });

  it('refuses a file that names no token, or that cannot be read', async () => {
    expect(refusal(() => parseApiTokens('# nobody yet\n', 'f'))).toMatch(/names no token/);
    expect(() => readApiTokens('/nonexistent/tokens')).toThrow(
      'GITOPS_API_TOKENS_FILE /nonexistent/tokens: cannot be read (ENOENT)',
    );
  });

  it('is read from its file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'tokens-')), 'tokens');
    await writeFile(file, FILE, { mode: 0o600 });
    expect(readApiTokens(file).nameOf(ALICE_TOKEN)).toBe('alice');
  });
});

describe('guarded API routes', () => {
  const http = (guard: ReturnType<typeof apiGuard>) => {
    const app = createServiceHttp({
      logger: testLogger(),
      registry: createMetrics().registry,
      checks: {},
      routes: guardedRoutes(guard, (api) => {
        api.get('/api/v1/who', async (request) => ({ actor: request.actor }));
      }),
    });
    return app;
  };
  const withTokens = () => http(apiGuard(parseApiTokens(FILE, 'tokens')));

  it('answer a valid bearer token, recording its name as the actor', async () => {
    const res = await withTokens().inject({
      url: '/api/v1/who',
      headers: { authorization: `Bearer ${ALICE_TOKEN}` },
      remoteAddress: '10.1.2.3',
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ actor: 'alice' });
  });

  it('answer 401 without a token, with a wrong one, or with another scheme', async () => {
    const cases = [{}, { authorization: `Bearer ${CI_TOKEN}0` }, { authorization: `Basic ${CI_TOKEN}` }];
    for (const headers of cases) {
      const res = await withTokens().inject({ url: '/api/v1/who', headers });
      expect(res.statusCode, JSON.stringify(headers)).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Bearer');
      expect(res.json().code).toBe('GITOPS_API_UNAUTHORIZED');
    }
  });

  it('without a tokens file, answer loopback clients only', async () => {
    const app = http(apiGuard(undefined));
    const local = await app.inject({ url: '/api/v1/who', remoteAddress: '127.0.0.1' });
    expect(local.json()).toEqual({ actor: 'loopback' });
    const mapped = await app.inject({ url: '/api/v1/who', remoteAddress: '::ffff:127.0.0.1' });
    expect(mapped.statusCode).toBe(200);
    const remote = await app.inject({
      url: '/api/v1/who',
      remoteAddress: '10.1.2.3',
      headers: { 'x-forwarded-for': '127.0.0.1' },
    });
    expect(remote.statusCode).toBe(401);
    expect(remote.json().message).toMatch(
      /without GITOPS_API_TOKENS_FILE this API answers only loopback clients/,
    );
  });

  it('leave /healthz, /readyz and /metrics open', async () => {
    const app = withTokens();
    for (const url of ['/healthz', '/readyz', '/metrics']) {
      const res = await app.inject({ url, remoteAddress: '10.1.2.3' });
      expect(res.statusCode, url).toBe(200);
    }
  });
});
