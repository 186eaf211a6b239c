import { envFlag, flagValue, httpUrl } from '../flags.js';
import type { Io } from '../io.js';

/** One platform service's HTTP API, as the CLI names and finds it. */
export interface ServiceApi {
  /** How errors and help name it: `the ${name} answered 404: …`. */
  name: string;
  /** The flag giving its address, such as `reconciler-url`. */
  flag: string;
  /** The variable giving its address when the flag is absent. */
  variable: string;
  fallback: string;
}

/** A service on its `--<flag>`, else `variable`, else its port on loopback. */
export const serviceApi = <F extends string>(name: string, flag: F, variable: string, port: number) => ({
  name,
  flag,
  variable,
  fallback: `http://127.0.0.1:${port}`,
});

/** The address and token flags of every command that talks to `service`. */
export const apiFlags = <F extends string>(service: ServiceApi & { flag: F }) => ({
  ...({
    [service.flag]: envFlag(`the ${service.name}'s HTTP address`, service.variable, service.fallback),
  } as Record<F, ReturnType<typeof envFlag>>),
  token: envFlag(
    `a token of the ${service.name}'s GITOPS_API_TOKENS_FILE`,
    'GITOPS_TOKEN',
    '$GITOPS_API_TOKEN',
  ),
});

/** The one token rule of every command: `--token`, else GITOPS_TOKEN, else GITOPS_API_TOKEN. */
export const tokenOf = (flag: string | undefined, env: NodeJS.ProcessEnv) =>
  flag?.trim() || env.GITOPS_TOKEN?.trim() || env.GITOPS_API_TOKEN?.trim() || undefined;

/** A non-2xx answer, in one line: the service, the status, its message, the token hint on a 401. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** Why a fetch or a stream failed, in a few words (ECONNREFUSED rather than `fetch failed`). */
export const reason = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
};

const parseJson = (text: string): { message?: string } | undefined => {
  try {
    return JSON.parse(text) as { message?: string };
  } catch {
    return undefined;
  }
};

/** A service's API: bearer token, JSON in and out, problems as one-line errors. */
export class ApiClient {
  constructor(
    readonly service: ServiceApi,
    readonly url: string,
    readonly token: string | undefined,
  ) {}

  /** The answer of a 2xx, unread (for streams); anything else throws an {@link ApiError}. */
  async send(method: 'GET' | 'POST', path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.token) headers.authorization = `Bearer ${this.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(this.#urlOf(path), {
        method,
        headers,
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    } catch (err) {
      throw new Error(`cannot reach the ${this.service.name} at ${this.url}: ${reason(err)}`);
    }
    if (!res.ok) throw this.#problem(res, await res.text().catch(() => ''));
    return res;
  }

  /** Sends `body` (if any) and answers the service's JSON. */
  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const res = await this.send(method, path, body);
    const text = await res.text();
    const json = parseJson(text);
    if (json === undefined && text !== '') throw this.#problem(res, text);
    return (json ?? {}) as T;
  }

  /** `path` (with or without a leading slash) under the service's address, keeping its own path. */
  #urlOf(path: string): URL {
    return new URL(path.replace(/^\//, ''), `${this.url.replace(/\/*$/, '')}/`);
  }

  #problem(res: Response, text: string): ApiError {
    const message = parseJson(text)?.message ?? (text.trim().split('\n')[0] || `status ${res.status}`);
    const hint = res.status === 401 && !this.token ? ' (give a token with --token or GITOPS_TOKEN)' : '';
    return new ApiError(res.status, `the ${this.service.name} answered ${res.status}: ${message}${hint}`);
  }
}

/** The client of `service` from a command's address flag (`url`) and `--token`. */
export const apiClient = (
  service: ServiceApi,
  args: { url: string | undefined; token?: string | undefined },
  io: Io,
) =>
  new ApiClient(
    service,
    flagValue(service.flag, args.url, httpUrl(service.fallback), io, service.variable),
    tokenOf(args.token, io.env),
  );
