import { envFlag, flagValue, httpUrl } from '../flags.js';
import type { Io } from '../io.js';

const DEFAULT_URL = 'http://127.0.0.1:8091';

/** The flags of every command that talks to the reconciler's API. */
export const reconcilerFlags = {
  'reconciler-url': envFlag("the reconciler's HTTP address", 'GITOPS_RECONCILER_URL', DEFAULT_URL),
  token: envFlag("a token of the reconciler's GITOPS_API_TOKENS_FILE", 'GITOPS_API_TOKEN'),
};

export interface ReconcilerArgs {
  reconcilerUrl?: string | undefined;
  token?: string | undefined;
}

const reason = (err: unknown) => {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (err as Error).message;
};

/** The reconciler's HTTP API (docs/reconciler.md): JSON in and out, problems in one line. */
export class ReconcilerClient {
  readonly url: string;
  readonly #token: string | undefined;

  constructor(args: ReconcilerArgs, io: Io) {
    this.url = flagValue(
      'reconciler-url',
      args.reconcilerUrl,
      httpUrl(DEFAULT_URL),
      io,
      'GITOPS_RECONCILER_URL',
    );
    this.#token = args.token?.trim() || io.env.GITOPS_API_TOKEN?.trim() || undefined;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = {};
    if (this.#token) headers.authorization = `Bearer ${this.#token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await fetch(new URL(path, `${this.url.replace(/\/*$/, '')}/`), {
        method,
        headers,
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
      });
    } catch (err) {
      throw new Error(`cannot reach the reconciler at ${this.url}: ${reason(err)}`);
    }
    const text = await res.text();
    const json = text ? (JSON.parse(text) as T & { message?: string }) : ({} as T & { message?: string });
    if (res.ok) return json;
    const hint = res.status === 401 && !this.#token ? ' (give a token with --token or GITOPS_API_TOKEN)' : '';
    throw new Error(`the reconciler answered ${res.status}: ${json.message ?? text}${hint}`);
  }
}

/** `?environment=` when one is given. */
export const environmentQuery = (environment: string | undefined) =>
  environment ? `?environment=${encodeURIComponent(environment)}` : '';
