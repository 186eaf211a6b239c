import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiClient, tokenOf } from './client.js';

const SERVICE = {
  name: 'example service',
  flag: 'example-url',
  variable: 'X',
  fallback: 'http://127.0.0.1:1',
};

describe('the API client', () => {
  let server: Server;
  let base: string;
  const seen: Array<{ url?: string; auth?: string }> = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push({ url: req.url, auth: req.headers.authorization });
      if (req.url?.endsWith('/text')) res.writeHead(200).end('not json\n');
      else if (req.url?.endsWith('/down')) res.writeHead(503).end('shutting down\nat line 2');
      else res.writeHead(401, { 'content-type': 'application/json' }).end('{"message":"needs a token"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}/prefix`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  it('takes --token, else GITOPS_TOKEN, else GITOPS_API_TOKEN', () => {
    const env = { GITOPS_TOKEN: ' gitops ', GITOPS_API_TOKEN: 'api' };
    expect(tokenOf(' flag ', env)).toBe('flag');
    expect(tokenOf(undefined, env)).toBe('gitops');
    expect(tokenOf('  ', { GITOPS_API_TOKEN: 'api' })).toBe('api');
    expect(tokenOf(undefined, {})).toBeUndefined();
  });

  it('keeps the address path and names the service, status and message in one line', async () => {
    await expect(new ApiClient(SERVICE, base, undefined).request('GET', '/api/v1/x')).rejects.toThrow(
      'the example service answered 401: needs a token (give a token with --token or GITOPS_TOKEN)',
    );
    expect(seen.at(-1)).toEqual({ url: '/prefix/api/v1/x', auth: undefined });
    await expect(new ApiClient(SERVICE, base, 'tok').request('GET', 'down')).rejects.toThrow(
      /^the example service answered 503: shutting down$/,
    );
    expect(seen.at(-1)?.auth).toBe('Bearer tok');
    await expect(new ApiClient(SERVICE, base, 'tok').request('GET', 'text')).rejects.toThrow(
      'the example service answered 200: not json',
    );
  });
});
