import type { IncomingMessage } from 'node:http';
import { type HttpTransport, header, readBody } from './http-transport.js';
import { registryError } from './registry-errors.js';
import { TransientError, parseRetryAfter } from './retry.js';

export interface Credentials {
  username: string;
  password: string;
}

/** A parsed `WWW-Authenticate` header: `Basic realm="…"` or `Bearer realm="…",service="…",scope="…"`. */
export interface Challenge {
  scheme: string;
  params: Record<string, string>;
}

export function parseChallenge(value: string | undefined): Challenge | undefined {
  const match = value ? /^\s*(\w+)\s*(.*)$/.exec(value) : null;
  if (!match) return undefined;
  const params: Record<string, string> = {};
  for (const p of (match[2] ?? '').matchAll(/(\w+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))/g)) {
    params[(p[1] ?? '').toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  return { scheme: (match[1] ?? '').toLowerCase(), params };
}

const scopeKey = (scopes: string[]) => [...scopes].sort().join(' ');
const basic = (c: Credentials) => `Basic ${Buffer.from(`${c.username}:${c.password}`).toString('base64')}`;

/** Tokens are refreshed this long before they expire, so none expires in flight. */
const EXPIRY_MARGIN_MS = 10_000;

/**
 * Registry authentication: anonymous until the registry challenges, then Basic, or the Bearer token flow
 * (distribution's token spec: GET realm?service&scope with Basic credentials when there are any), with
 * tokens cached per scope set until shortly before they expire.
 */
export class RegistryAuth {
  private challenge: Challenge | undefined;
  /** Promises, so concurrent requests for one scope set share one token request. */
  private readonly tokens = new Map<string, Promise<{ value: string; expiresAt: number }>>();

  constructor(
    private readonly transport: HttpTransport,
    private readonly credentials?: Credentials,
    private readonly now: () => number = Date.now,
  ) {}

  /** The Authorization header to send for these scopes, fetching a token when needed; none until challenged. */
  async authorization(scopes: string[], repository: string): Promise<string | undefined> {
    const challenge = this.challenge;
    if (!challenge) return undefined;
    if (challenge.scheme === 'basic') return this.credentials ? basic(this.credentials) : undefined;
    if (challenge.scheme !== 'bearer') return undefined;
    const key = scopeKey(scopes);
    const cached = this.tokens.get(key);
    const valid = (t: { expiresAt: number }) => t.expiresAt > this.now();
    if (cached && (await cached.then(valid, () => false))) return `Bearer ${(await cached).value}`;
    const token = this.fetchToken(challenge, scopes, repository);
    this.tokens.set(key, token);
    return `Bearer ${(await token).value}`;
  }

  /**
   * Learns from a 401: records its challenge and drops a cached token for these scopes (it may have been
   * revoked). Returns whether a second try can send something new.
   */
  onUnauthorized(res: IncomingMessage, scopes: string[]): boolean {
    const challenge = parseChallenge(header(res, 'www-authenticate'));
    if (!challenge) return false;
    const known = this.challenge;
    this.challenge = challenge;
    this.tokens.delete(scopeKey(scopes));
    if (challenge.scheme === 'bearer') return true;
    return challenge.scheme === 'basic' && this.credentials !== undefined && known?.scheme !== 'basic';
  }

  private async fetchToken(challenge: Challenge, scopes: string[], repository: string) {
    const realm = challenge.params.realm;
    if (!realm) throw registryError(401, repository, 'token request', 'Bearer challenge without realm');
    const url = new URL(realm);
    if (challenge.params.service) url.searchParams.set('service', challenge.params.service);
    for (const scope of scopes) url.searchParams.append('scope', scope);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (this.credentials) headers.authorization = basic(this.credentials);
    const res = await this.transport.send({ method: 'GET', url, headers });
    const body = await readBody(res, 1 << 20);
    const status = res.statusCode ?? 0;
    if (status === 429 || status >= 500) {
      throw new TransientError(
        `token server answered ${status}`,
        parseRetryAfter(header(res, 'retry-after')),
      );
    }
    if (status !== 200) throw registryError(status, repository, `token request to ${url.origin}`, body);
    const json = JSON.parse(body.toString()) as {
      token?: string;
      access_token?: string;
      expires_in?: number;
    };
    const value = json.token ?? json.access_token;
    if (!value) throw registryError(502, repository, 'token request', 'token response without token');
    // The token spec's default lifetime is 60 s when the server names none.
    return { value, expiresAt: this.now() + (json.expires_in ?? 60) * 1000 - EXPIRY_MARGIN_MS };
  }
}
