import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { AppError } from '@gitops/errors';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who called an API route: the name of the bearer token, or `loopback` (docs/security.md). */
    actor?: string;
  }
}

/** A hook that lets a request through to API routes or throws a 401 AppError. */
export type ApiGuard = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

// Shorter tokens are guessable; `openssl rand -hex 32` makes 64 characters.
const MIN_TOKEN_LENGTH = 16;
const NAME = /^[A-Za-z0-9_.@-]+$/;

const digest = (token: string) => createHash('sha256').update(token).digest();

/** The API tokens of GITOPS_API_TOKENS_FILE: who a bearer token belongs to. */
export class ApiTokens {
  readonly #digests: Array<{ name: string; digest: Buffer }>;

  constructor(entries: Array<{ name: string; token: string }>) {
    this.#digests = entries.map(({ name, token }) => ({ name, digest: digest(token) }));
  }

  get size(): number {
    return this.#digests.length;
  }

  /**
   * The name of `token`, or undefined. Digests of equal length are compared in constant time, and
   * every entry is compared, so the answer's timing says nothing about the tokens.
   */
  nameOf(token: string): string | undefined {
    const presented = digest(token);
    let found: string | undefined;
    for (const entry of this.#digests) {
      if (timingSafeEqual(entry.digest, presented) && found === undefined) found = entry.name;
    }
    return found;
  }
}

const invalidFile = (source: string, problem: string) =>
  new AppError('GITOPS_API_TOKENS_INVALID', `GITOPS_API_TOKENS_FILE ${source}: ${problem}`);

/**
 * Reads `<name> <token>` lines; blank lines and `#` comments are skipped. A problem names its line,
 * never its content, since that may be a token.
 */
export function parseApiTokens(text: string, source: string): ApiTokens {
  const entries: Array<{ name: string; token: string }> = [];
  for (const [index, raw] of text.split('\n').entries()) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const [name, token] = fields;
    const where = `line ${index + 1}`;
    if (fields.length !== 2 || !name || !token || !NAME.test(name)) {
      throw invalidFile(source, `${where} is not "<name> <token>"`);
    }
    if (token.length < MIN_TOKEN_LENGTH) {
      throw invalidFile(source, `${where}: the token is shorter than ${MIN_TOKEN_LENGTH} characters`);
    }
    if (entries.some((entry) => entry.name === name))
      throw invalidFile(source, `${where} repeats the name ${name}`);
    if (entries.some((entry) => entry.token === token)) throw invalidFile(source, `${where} repeats a token`);
    entries.push({ name, token });
  }
  if (entries.length === 0) throw invalidFile(source, 'names no token');
  return new ApiTokens(entries);
}

/** GITOPS_API_TOKENS_FILE, read once at start: restart the service after changing it. */
export function readApiTokens(file: string): ApiTokens {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw invalidFile(
      file,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
  return parseApiTokens(text, file);
}

const unauthorized = (reply: FastifyReply, message: string) => {
  reply.header('www-authenticate', 'Bearer');
  return new AppError('GITOPS_API_UNAUTHORIZED', message, { statusCode: 401 });
};

const BEARER = /^Bearer\s+(\S+)\s*$/i;

/** A guard that needs `Authorization: Bearer <token>` with a token of `tokens`; records its name as `request.actor`. */
export function requireToken(tokens: ApiTokens): ApiGuard {
  return async (request, reply) => {
    const presented = BEARER.exec(request.headers.authorization ?? '')?.[1];
    if (!presented) throw unauthorized(reply, 'this API needs an Authorization: Bearer <token> header');
    const name = tokens.nameOf(presented);
    if (!name) throw unauthorized(reply, 'the bearer token is not valid');
    request.actor = name;
  };
}

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|::1|::ffff:127\.\d+\.\d+\.\d+)$/;

/** A guard for a service without tokens: only clients on the same host (no proxy is trusted). */
export function loopbackOnly(): ApiGuard {
  return async (request, reply) => {
    if (!LOOPBACK.test(request.socket.remoteAddress ?? '')) {
      throw unauthorized(reply, 'without GITOPS_API_TOKENS_FILE this API answers only loopback clients');
    }
    request.actor = 'loopback';
  };
}

/** The guard GITOPS_API_TOKENS_FILE asks for: bearer tokens when it is set, loopback clients otherwise. */
export const apiGuard = (tokens: ApiTokens | undefined): ApiGuard =>
  tokens ? requireToken(tokens) : loopbackOnly();

/**
 * A service's API routes behind a guard, checked on request before anything else runs; the
 * shared /healthz, /readyz and /metrics stay open for probes and scrapes.
 */
export const guardedRoutes =
  (guard: ApiGuard, register: (app: FastifyInstance) => void) =>
  (app: FastifyInstance): void => {
    app.register(async (api) => {
      api.addHook('onRequest', guard);
      register(api);
    });
  };
