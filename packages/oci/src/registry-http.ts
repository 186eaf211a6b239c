import type { IncomingMessage } from 'node:http';
import type { Logger } from '@gitops/telemetry';
import { type Credentials, RegistryAuth } from './auth.js';
import { type BodySource, type HttpTransport, drain, header } from './http-transport.js';
import { DEFAULT_RETRY, type RetryPolicy, TransientError, parseRetryAfter, withRetries } from './retry.js';

export interface RegistryRequest {
  method: string;
  /** A path under the registry (`/v2/…`) or an absolute URL (an upload session's Location). */
  url: string | URL;
  /** For error messages and the default scope. */
  repository: string;
  /** Token scopes; default `repository:<repository>:pull` for GET/HEAD, `pull,push` otherwise. */
  scopes?: string[];
  headers?: Record<string, string>;
  body?: BodySource;
  /** What the request is for, in error messages and logs: "HEAD blob sha256:…". */
  what: string;
}

/** Scope strings of the distribution token spec. */
export const pullScope = (repository: string) => `repository:${repository}:pull`;
export const pushScope = (repository: string) => `repository:${repository}:pull,push`;

/**
 * One registry's HTTP: base URL, authentication and retries. `send` answers every status but 401 (after one
 * re-authenticated try), 408, 429 and 5xx (retried with backoff) to the caller, which decides what is
 * expected; other 4xx are the caller's to turn into errors, never retried.
 */
export class RegistryHttp {
  readonly auth: RegistryAuth;

  constructor(
    readonly baseUrl: URL,
    readonly transport: HttpTransport,
    readonly retry: RetryPolicy = DEFAULT_RETRY,
    credentials?: Credentials,
    private readonly logger?: Logger,
  ) {
    this.auth = new RegistryAuth(transport, credentials);
  }

  url(pathOrUrl: string | URL): URL {
    return new URL(pathOrUrl, this.baseUrl);
  }

  /** `send` with retries on transient failures: only for requests that are safe to repeat as they are. */
  send(req: RegistryRequest): Promise<IncomingMessage> {
    return withRetries(
      this.retry,
      `${req.what} (${req.repository})`,
      () => this.sendOnce(req),
      this.logRetry(req),
    );
  }

  /** One try (plus one re-authenticated try after a 401); throws TransientError on 408/429/5xx. */
  async sendOnce(req: RegistryRequest): Promise<IncomingMessage> {
    const scopes = req.scopes ?? [isRead(req.method) ? pullScope(req.repository) : pushScope(req.repository)];
    let res = await this.attempt(req, scopes);
    if (res.statusCode === 401 && this.auth.onUnauthorized(res, scopes)) {
      await drain(res);
      res = await this.attempt(req, scopes);
    }
    const status = res.statusCode ?? 0;
    if (isTransientStatus(status)) {
      await drain(res);
      throw new TransientError(`registry answered ${status}`, parseRetryAfter(header(res, 'retry-after')));
    }
    return res;
  }

  logRetry(req: RegistryRequest) {
    return (err: unknown, delayMs: number, attempt: number) =>
      this.logger?.warn(
        { repository: req.repository, attempt, delayMs: Math.round(delayMs), err: (err as Error).message },
        `registry: ${req.what} failed, retrying`,
      );
  }

  private async attempt(req: RegistryRequest, scopes: string[]): Promise<IncomingMessage> {
    const authorization = await this.auth.authorization(scopes, req.repository);
    const headers = { ...req.headers, ...(authorization ? { authorization } : {}) };
    return this.transport.send({
      method: req.method,
      url: this.url(req.url),
      headers,
      ...(req.body === undefined ? {} : { body: req.body }),
    });
  }
}

const isRead = (method: string) => method === 'GET' || method === 'HEAD';

/** Request Timeout, Too Many Requests and every 5xx: the registry may answer otherwise later. */
export const isTransientStatus = (status: number) => status === 408 || status === 429 || status >= 500;
