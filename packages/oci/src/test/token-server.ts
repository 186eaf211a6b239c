import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type TestProxy, startProxy } from './proxy.js';

export interface TokenAuthDouble extends TestProxy {
  /** The scopes of every token issued, in order. */
  tokenRequests: string[][];
}

/** The repository and action a registry request needs: `pull` to read, `push` to write, `pull` on `from` to mount. */
function requiredScopes(req: IncomingMessage): string[] {
  const url = new URL(req.url ?? '/', 'http://x');
  const name = /^\/v2\/(.+?)\/(blobs|manifests|tags)\//.exec(url.pathname)?.[1];
  if (!name) return [];
  const read = req.method === 'GET' || req.method === 'HEAD';
  const scopes = [`repository:${name}:${read ? 'pull' : 'push'}`];
  const from = url.searchParams.get('from');
  if (from) scopes.push(`repository:${from}:pull`);
  return scopes;
}

const grants = (granted: string[], needed: string) => {
  const [, repo, action] = needed.split(':');
  return granted.some((g) => {
    const [, grantedRepo, actions] = g.split(':');
    return grantedRepo === repo && (actions ?? '').split(',').includes(action ?? '');
  });
};

/**
 * A test double of a token-authenticated registry (distribution's token spec): `/token` issues opaque
 * tokens for the requested scopes to Basic `user:password`, and every `/v2/` request without a token
 * granting its scope is answered 401 with a `Bearer realm,service,scope` challenge. Authorised requests
 * go on to the real registry.
 */
export async function startTokenAuthDouble(
  registryUrl: string,
  user: string,
  password: string,
): Promise<TokenAuthDouble> {
  const tokens = new Map<string, string[]>();
  const tokenRequests: string[][] = [];
  let realm = '';
  const issue = (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.headers.authorization !== `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`) {
      res.writeHead(401).end();
      return;
    }
    const scopes = url.searchParams.getAll('scope');
    const token = randomUUID();
    tokens.set(token, scopes);
    tokenRequests.push(scopes);
    res
      .writeHead(200, { 'content-type': 'application/json' })
      .end(JSON.stringify({ token, expires_in: 300 }));
  };
  const proxy = await startProxy(registryUrl, (req, res) => {
    if (req.url?.startsWith('/token')) {
      issue(req, res);
      return true;
    }
    const needed = requiredScopes(req);
    const granted = tokens.get((req.headers.authorization ?? '').replace(/^Bearer /, '')) ?? [];
    if (needed.every((scope) => grants(granted, scope))) return false;
    const challenge = `Bearer realm="${realm}",service="test-registry",scope="${needed.join(' ')}"`;
    res.writeHead(401, { 'www-authenticate': challenge, 'content-type': 'application/json' });
    res.end(JSON.stringify({ errors: [{ code: 'UNAUTHORIZED', message: 'authentication required' }] }));
    return true;
  });
  realm = `${proxy.url}/token`;
  return { ...proxy, tokenRequests };
}
